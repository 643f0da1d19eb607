import { DeliveryRejectedError, RetryableError } from './channel.js'

/** Default per-attempt timeout of every HTTP channel. */
export const DEFAULT_TIMEOUT_MS = 10_000

export interface HttpAttempt {
  /** How errors name the channel, e.g. `dingtalk channel "security"`; never the URL (it holds the token). */
  readonly label: string
  readonly url: string
  readonly method?: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  readonly timeoutMs: number
  readonly signal: AbortSignal
  /** For an HTTP-date Retry-After; defaults to Date.now. */
  readonly now?: () => number
}

export interface HttpReply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

/**
 * One HTTP request with Node's fetch. Network errors, timeouts and aborts
 * become {@link RetryableError} (docs/requirements.md#durable-outbox: a network cut delays a
 * notification, never loses it). Redirects are not followed: a signed POST
 * must not be replayed to another host, and DingTalk answers a throttled robot
 * with a redirect. The reply is returned whatever its status.
 */
export async function sendHttp(attempt: HttpAttempt): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(attempt.timeoutMs)
  const signal = AbortSignal.any([attempt.signal, timeout])
  try {
    const res = await fetch(attempt.url, {
      method: attempt.method ?? 'POST',
      headers: attempt.headers,
      ...(attempt.body === undefined ? {} : { body: attempt.body }),
      redirect: 'manual',
      signal,
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, text }
  } catch (err) {
    if (attempt.signal.aborted) {
      throw new RetryableError(`${attempt.label}: aborted`, { cause: attempt.signal.reason })
    }
    if (timeout.aborted) throw new RetryableError(`${attempt.label}: no answer within ${attempt.timeoutMs} ms`)
    // undici wraps the socket error; its code (ECONNREFUSED…) is safe to show, its request is not.
    throw new RetryableError(`${attempt.label}: network error (${networkErrorCode(err)})`)
  }
}

/**
 * Judges a reply by its HTTP status alone: null for 2xx; RetryableError for
 * 3xx, 408, 425, 429 and 5xx (honouring Retry-After); otherwise a permanent
 * {@link DeliveryRejectedError}.
 */
export function httpStatusFailure(label: string, reply: HttpReply, now: () => number = Date.now): Error | null {
  const { status } = reply
  if (status >= 200 && status < 300) return null
  if (status >= 300 && status < 400) return new RetryableError(`${label}: redirected (HTTP ${status}), not followed`)
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), now())
    return new RetryableError(`${label}: HTTP ${status}`, { retryAfterMs })
  }
  return new DeliveryRejectedError('http_rejected', `${label}: HTTP ${status}`, { status })
}

/** RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date. Returns ms, or undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/** The reply body as JSON, or undefined when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A vendor's error message, shortened and on one line, for an error message. */
export function clip(text: unknown, max = 200): string {
  const s = typeof text === 'string' ? text : ''
  const line = s.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}

export function objectField(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
}

function networkErrorCode(err: unknown): string {
  const cause = objectField(err, 'cause')
  const code = objectField(cause, 'code') ?? objectField(err, 'code')
  if (typeof code === 'string') return code
  return err instanceof Error ? err.name : 'unknown'
}

/** Headers from several sources, later ones winning, compared without case (names come out lower-case). */
export function mergeHeaders(
  ...sources: readonly (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const merged = new Headers()
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) merged.set(name, value)
  }
  return Object.fromEntries(merged.entries())
}

/** How an IM robot reports errors inside an HTTP reply (often HTTP 200). */
export interface VendorRules {
  /** `errcode` (WeCom, DingTalk) or `code` (Feishu); 0 means accepted. */
  readonly codeOf: (body: unknown) => unknown
  readonly messageOf: (body: unknown) => unknown
  readonly codeName: string
  /** The vendor's documented "slow down" codes: retried, not dropped (docs/requirements.md#rate-limits-and-grouping). */
  readonly rateLimited: (code: number, message: string) => boolean
  /** A vendor header that says, in seconds, when the limit resets (Feishu `x-ogw-ratelimit-reset`). */
  readonly resetHeader?: string
}

/**
 * Judges an IM robot's reply: null when accepted (code 0 on a 2xx); a
 * RetryableError for rate-limit codes, 429 / 5xx and replies that are not the
 * vendor's JSON (a proxy's page); a permanent DeliveryRejectedError for any
 * other non-zero code or 4xx.
 */
export function vendorFailure(label: string, reply: HttpReply, rules: VendorRules, now: () => number): Error | null {
  const body = parseJsonBody(reply.text)
  const code = rules.codeOf(body)
  const message = clip(rules.messageOf(body))
  if (typeof code === 'number' && code !== 0 && rules.rateLimited(code, message)) {
    const retryAfterMs =
      parseRetryAfter(reply.headers.get('retry-after'), now()) ??
      (rules.resetHeader === undefined ? undefined : parseRetryAfter(reply.headers.get(rules.resetHeader), now()))
    return new RetryableError(`${label}: rate limited (${rules.codeName} ${code} ${message})`, { retryAfterMs })
  }
  const byStatus = httpStatusFailure(label, reply, now)
  if (byStatus instanceof RetryableError) return byStatus
  if (typeof code === 'number' && code !== 0) {
    return new DeliveryRejectedError('vendor_rejected', `${label}: ${rules.codeName} ${code} ${message}`, {
      status: reply.status,
      vendorCode: code,
    })
  }
  if (byStatus !== null) return byStatus
  if (code === 0) return null
  return new RetryableError(`${label}: unexpected reply (HTTP ${reply.status}, no ${rules.codeName})`)
}
