import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { sharedCounter } from '../metrics.js'

/**
 * Every request the API turns away, whoever turns it away (the token guard,
 * a schema, a state conflict, the live-page cap, an unknown route), counted
 * by status and the error code in its body: a hostile client's probing shows
 * on the dashboard, not only its failed sign-ins. Codes come from a fixed
 * set, so the label cannot grow with what a client sends.
 */
export function countRefusals(app: FastifyInstance, registry: Registry): void {
  const refused = sharedCounter(registry, {
    name: 'storeguard_http_refused_total',
    help: 'HTTP requests answered with an error, by status and error code',
    labelNames: ['status', 'code'],
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    const status = reply.statusCode
    // a 503 from /healthz is a report, not a refusal: 5xx count only as API errors
    const code = errorCode(payload)
    if ((status >= 400 && status < 500) || (status >= 500 && code !== 'other')) {
      refused.inc({ status: String(status), code })
    }
    return payload
  })
}

/** `error.code` of an API error body, or `other` for a body that is not one. */
function errorCode(payload: unknown): string {
  if (typeof payload !== 'string' || !payload.startsWith('{"error"')) return 'other'
  try {
    const code: unknown = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code
    return typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : 'other'
  } catch {
    return 'other'
  }
}
