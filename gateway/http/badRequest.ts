/**
 * A 400 for what the JSON schema cannot say (a device that does not exist, a
 * time in the past, a cursor this server never gave). It carries Fastify's
 * `statusCode`, so apiErrors answers it exactly like a schema failure:
 * `bad_request`, with a message that starts with the field, e.g. `body/endsAt …`.
 */
export function badRequest(message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode: 400 })
}
