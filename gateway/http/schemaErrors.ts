import type { FastifySchemaValidationError } from 'fastify/types/schema.js'

/**
 * Fastify's own wording (`body/endsAt must match format "date-time"`), except
 * that a field the route does not take is named: Ajv says only "must NOT have
 * additional properties", and a client cannot fix what it is not told. The
 * name is the client's own input, so it is quoted as JSON (no control
 * character reaches a log line) and cut short.
 */
export function schemaErrorMessage(errors: readonly FastifySchemaValidationError[], dataVar: string): Error {
  const parts = errors.map((e) => {
    const where = `${dataVar}${e.instancePath}`
    const extra = e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined
    if (typeof extra === 'string') return `${where}/${JSON.stringify(extra.slice(0, 64))} is not a field it takes`
    return `${where} ${e.message ?? 'is not valid'}`
  })
  return new Error(parts.join(', '))
}
