import { describe, expect, it } from 'vitest'
import type { DeviceConfig } from '../../devices/deviceSchema.js'
import type { Alarm } from '../core/alarm.js'
import { createLogger } from '../log.js'
import { createOutputs } from './outputs.js'

const device = (id: string, type: DeviceConfig['type'], gpio = false): DeviceConfig =>
  ({ id, type, zone: 'sales', mqtt: {}, ...(gpio ? { gpio: { line: 17 } } : {}) }) as DeviceConfig
const fire = { kind: 'fire', silent: false, state: 'active_unacked', shelvedUntil: null } as Alarm
const devices = [device('siren-1', 'siren'), device('siren-2', 'siren'), device('strobe-1', 'strobe', true)]

function harness(config: Parameters<typeof createOutputs>[0]['config'] = { fire: {} }) {
  const mqtt: string[] = []
  const field: string[] = []
  const outputs = createOutputs({
    config,
    devices,
    topicPrefix: 'sg/s1',
    publish: (topic, payload) => mqtt.push(`${topic} ${payload}`),
    log: createLogger('silent'),
  })
  const gpio = {
    owns: (id: string) => id === 'strobe-1',
    write: (id: string, _m: string, v: unknown) => {
      field.push(`${id}=${v}`)
    },
  }
  return { outputs, mqtt, field, gpio }
}

describe('outputs', () => {
  it('sounds every siren and flashes every strobe on fire by default, each through the adapter that owns it', () => {
    const { outputs, mqtt, field, gpio } = harness()
    outputs.start([gpio], [])
    outputs.annunciate([fire])
    expect(mqtt.filter((m) => m.endsWith('{"on":true}'))).toEqual([
      'sg/s1/devices/siren-1/set {"on":true}',
      'sg/s1/devices/siren-2/set {"on":true}',
    ])
    expect(field.at(-1)).toBe('strobe-1=true')
    expect(mqtt.some((m) => m.includes('strobe-1'))).toBe(false)
  })

  it('drives only the sirens outputs.fire names', () => {
    const { outputs, mqtt, gpio } = harness({ fire: { sirens: ['siren-2'] } })
    outputs.start([gpio], [fire])
    expect(new Set(mqtt)).toEqual(new Set(['sg/s1/devices/siren-2/set {"on":true}']))
  })

  it('writes every output again at start, once the field adapters own their wires', () => {
    const { outputs, mqtt, field, gpio } = harness()
    outputs.annunciate([fire])
    expect(field).toEqual([])
    outputs.start([gpio], [fire])
    expect(field).toEqual(['strobe-1=true'])
    expect(mqtt).toHaveLength(4)
  })

  it('a writer that throws is logged, and the other outputs are still driven', () => {
    const { outputs, mqtt } = harness()
    const broken = {
      owns: (id: string) => id === 'siren-1',
      write: () => {
        throw new Error('line busy')
      },
    }
    outputs.start([broken], [])
    expect(() => outputs.annunciate([fire])).not.toThrow()
    expect(mqtt).toContain('sg/s1/devices/siren-2/set {"on":true}')
  })
})
