/** JSON schemas and hooks the alarm and ticket routes share. */

/** Ids are ours and short; a bound keeps junk out of logs and lookups. */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
  required: ['id'],
  additionalProperties: false,
} as const

/** An optional operator note; the limit keeps notes readable on the console and in the journal. */
export const noteBody = {
  type: 'object',
  properties: { note: { type: 'string', maxLength: 500 } },
  additionalProperties: false,
} as const

/** The body is optional: a POST without one validates as `{}`. */
export async function emptyBodyAsObject(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {}
}
