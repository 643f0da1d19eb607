import { type Channel, type ChannelDeps, DeliveryRejectedError, RetryableError } from './channel.js'
import { clip, DEFAULT_TIMEOUT_MS, httpStatusFailure, mergeHeaders, sendHttp } from './httpDelivery.js'
import { isRenderedMessage, type RenderedMessage } from './message.js'

/**
 * SMS through whatever HTTP gateway the operator has (docs/requirements.md#channels): the request
 * is a template. `{{phone}}` and `{{text}}` are replaced in the URL
 * (URL-encoded) and in the body (JSON-escaped, or form-encoded with
 * `bodyEncoding: 'form'`). Credentials belong in `headers` or the URL via
 * `${ENV}`; neither appears in errors.
 */
export interface SmsChannelConfig {
  readonly id: string
  /** Default POST. */
  readonly method?: 'POST' | 'PUT' | 'GET'
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  /** e.g. `{"to":"{{phone}}","content":"{{text}}"}`; none for a GET gateway. */
  readonly body?: string
  /** How placeholders in `body` are escaped; default `json`. */
  readonly bodyEncoding?: 'json' | 'form'
  /** Recipients when the payload names none. */
  readonly to?: readonly string[]
  /** Regex the reply body must match to count as sent (for gateways that answer 200 on failure). */
  readonly successPattern?: string
  /** Regex on the reply body that means "throttled, try later" (the gateway's rate-limit code). */
  readonly retryPattern?: string
  /** Longer texts are cut (characters, not bytes); unlimited by default. */
  readonly maxTextChars?: number
  /** Per request; default 10 000 ms. */
  readonly timeoutMs?: number
}

/**
 * What the outbox hands an SMS channel: a rendered message (its `short`
 * text is sent) and the contacts' numbers. Prefer one recipient per
 * notification: a failure part-way through a list is retried as a whole, and
 * the numbers already sent to would get the SMS twice.
 */
export interface SmsPayload {
  readonly to?: readonly string[]
  readonly message: RenderedMessage
}

const PHONE = /^\+?[0-9][0-9 -]{2,30}$/

/** Replaces `{{phone}}` and `{{text}}` in a template, encoding each value with `encode`. */
export function fillTemplate(
  template: string,
  values: { readonly phone: string; readonly text: string },
  encode: (value: string) => string,
): string {
  return template.replace(/\{\{\s*(phone|text)\s*\}\}/g, (_, name: 'phone' | 'text') => encode(values[name]))
}

/** A string's JSON escaping, without the surrounding quotes. */
export function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

export function createSmsChannel(config: SmsChannelConfig, deps: ChannelDeps = {}): Channel {
  const now = deps.now ?? Date.now
  const label = `sms channel "${config.id}"`
  const success = config.successPattern === undefined ? null : new RegExp(config.successPattern)
  const retry = config.retryPattern === undefined ? null : new RegExp(config.retryPattern)
  const form = config.bodyEncoding === 'form'
  const contentType = form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8'

  async function sendOne(phone: string, text: string, position: string, signal: AbortSignal): Promise<void> {
    const values = { phone, text }
    const reply = await sendHttp({
      label: `${label} (${position})`,
      method: config.method ?? 'POST',
      url: fillTemplate(config.url, values, encodeURIComponent),
      headers: mergeHeaders(config.body === undefined ? {} : { 'content-type': contentType }, config.headers),
      ...(config.body === undefined
        ? {}
        : { body: fillTemplate(config.body, values, form ? encodeURIComponent : jsonEscape) }),
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal,
      now,
    })
    if (retry?.test(reply.text)) throw new RetryableError(`${label} (${position}): gateway asked to retry`)
    const failure = httpStatusFailure(`${label} (${position})`, reply, now)
    if (failure !== null) throw failure
    if (success !== null && !success.test(reply.text)) {
      throw new DeliveryRejectedError('vendor_rejected', `${label} (${position}): ${clip(reply.text)}`, {
        status: reply.status,
      })
    }
  }

  return {
    id: config.id,
    kind: 'sms',
    async deliver(payload, signal) {
      const { to, message } = readPayload(payload, label)
      const phones = to !== undefined && to.length > 0 ? to : (config.to ?? [])
      if (phones.length === 0) throw new DeliveryRejectedError('payload_invalid', `${label}: no recipients`)
      // Phone numbers are personal data: errors name the position, not the number.
      phones.forEach((phone, i) => {
        if (!PHONE.test(phone)) {
          throw new DeliveryRejectedError('payload_invalid', `${label}: recipient ${i + 1} is not a phone number`)
        }
      })
      const max = config.maxTextChars
      const text = max !== undefined && [...message.short].length > max ? cut(message.short, max) : message.short
      for (const [i, phone] of phones.entries()) {
        await sendOne(phone, text, `recipient ${i + 1} of ${phones.length}`, signal)
      }
    },
  }
}

function readPayload(payload: unknown, label: string): SmsPayload {
  if (isRenderedMessage(payload)) return { message: payload }
  const message = (payload as { message?: unknown } | null)?.message
  const to = (payload as { to?: unknown } | null)?.to
  const toOk = to === undefined || (Array.isArray(to) && to.every((p) => typeof p === 'string'))
  if (isRenderedMessage(message) && toOk) {
    return to === undefined ? { message } : { message, to: to as string[] }
  }
  throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not an SMS payload`)
}

function cut(text: string, max: number): string {
  return `${[...text].slice(0, Math.max(0, max - 1)).join('')}…`
}
