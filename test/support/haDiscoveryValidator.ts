import { Ajv2020 } from 'ajv/dist/2020.js'
import { BINARY_SENSOR_SCHEMA, DISCOVERY_TOPIC, SENSOR_SCHEMA } from './haDiscoverySchema.js'

const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  validateFormats: false,
})
const validators = { sensor: ajv.compile(SENSOR_SCHEMA), binary_sensor: ajv.compile(BINARY_SENSOR_SCHEMA) }

/** Every problem HA would find with one discovery message; empty when HA takes it. */
export function discoveryProblems(topic: string, payload: unknown): string[] {
  const match = DISCOVERY_TOPIC.exec(topic)
  if (!match) return [`${topic}: not a discovery topic HA reads`]
  const validate = validators[match[2] as keyof typeof validators]
  if (validate(payload)) return []
  return (validate.errors ?? []).map(
    (e) => `${topic}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  )
}
