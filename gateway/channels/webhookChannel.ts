import { createHmac } from 'node:crypto'
import { type Channel, type ChannelDeps, DeliveryRejectedError } from './channel.js'
import { DEFAULT_TIMEOUT_MS, httpStatusFailure, mergeHeaders, sendHttp } from './httpDelivery.js'

export const SIGNATURE_HEADER = 'x-storeguard-signature'
export const TIMESTAMP_HEADER = 'x-storeguard-timestamp'
export const TIMESTAMPED_SIGNATURE_HEADER = 'x-storeguard-signature-timestamped'

/** A generic JSON webhook (docs/requirements.md#channels). */
export interface WebhookChannelConfig {
  readonly id: string
  readonly url: string
  /** Shared secret for the HMAC-SHA256 signature headers; the request is unsigned without it. */
  readonly secret?: string
  /** Extra headers (e.g. Authorization); they cannot override the signature headers. */
  readonly headers?: Readonly<Record<string, string>>
  /** Per attempt; default 10 000 ms. */
  readonly timeoutMs?: number
}

/**
 * POSTs the payload (normally the gateway event) as JSON. With a secret it sends:
 * - `X-StoreGuard-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>` — the
 *   GitHub-style body signature;
 * - `X-StoreGuard-Timestamp: <unix seconds>` when it was sent;
 * - `X-StoreGuard-Signature-Timestamped: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
 *   which binds the timestamp, so a receiver that rejects old timestamps
 *   defeats replays (the body signature alone cannot: the header could be changed).
 * Any 2xx is success; 429 / 5xx / network errors are retried.
 */
export function createWebhookChannel(config: WebhookChannelConfig, deps: ChannelDeps = {}): Channel {
  const now = deps.now ?? Date.now
  const label = `webhook channel "${config.id}"`
  return {
    id: config.id,
    kind: 'webhook',
    async deliver(payload, signal) {
      const body = JSON.stringify(payload)
      if (body === undefined) throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not JSON`)
      const signed = config.secret === undefined ? {} : signatureHeaders(config.secret, body, now())
      const reply = await sendHttp({
        label,
        url: config.url,
        headers: mergeHeaders(
          { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'StoreGuard' },
          config.headers,
          signed,
        ),
        body,
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        now,
      })
      const failure = httpStatusFailure(label, reply, now)
      if (failure !== null) throw failure
    },
  }
}

/** The signature headers for one request body, at nowMs. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000))
  const hmac = (data: string) => `sha256=${createHmac('sha256', secret).update(data, 'utf8').digest('hex')}`
  return {
    [SIGNATURE_HEADER]: hmac(body),
    [TIMESTAMP_HEADER]: timestamp,
    [TIMESTAMPED_SIGNATURE_HEADER]: hmac(`${timestamp}.${body}`),
  }
}
