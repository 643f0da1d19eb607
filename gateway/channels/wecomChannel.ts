import { type Channel, type ChannelDeps, DeliveryRejectedError } from './channel.js'
import { DEFAULT_TIMEOUT_MS, objectField, sendHttp, type VendorRules, vendorFailure } from './httpDelivery.js'
import { isRenderedMessage, type RenderedMessage, truncateUtf8 } from './message.js'

/**
 * WeCom (企业微信) group robot. The key is in the webhook URL
 * (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`), so the URL is a
 * secret: keep it in `${ENV}` and it never appears in errors. No signing.
 */
export interface WecomChannelConfig {
  readonly id: string
  readonly url: string
  /** `markdown` (default) or `text` (plain, for clients that do not render markdown). */
  readonly format?: 'markdown' | 'text'
  /** Per attempt; default 10 000 ms. */
  readonly timeoutMs?: number
}

/** WeCom robot docs: markdown content ≤ 4096 bytes, text content ≤ 2048 bytes, UTF-8. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096
export const WECOM_TEXT_MAX_BYTES = 2048

/** WeCom `errcode` 45009: "api freq out of limit" (a robot may send 20 messages a minute). */
export const WECOM_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([45009])

const rules: VendorRules = {
  codeOf: (body) => objectField(body, 'errcode'),
  messageOf: (body) => objectField(body, 'errmsg'),
  codeName: 'errcode',
  rateLimited: (code) => WECOM_RATE_LIMIT_CODES.has(code),
}

/** The request body WeCom's robot expects for a rendered message. */
export function wecomBody(message: RenderedMessage, format: 'markdown' | 'text' = 'markdown'): object {
  if (format === 'text') return { msgtype: 'text', text: { content: truncateUtf8(message.text, WECOM_TEXT_MAX_BYTES) } }
  return { msgtype: 'markdown', markdown: { content: truncateUtf8(message.markdown, WECOM_MARKDOWN_MAX_BYTES) } }
}

/** Delivers a {@link RenderedMessage} (see render.ts) to a WeCom group. */
export function createWecomChannel(config: WecomChannelConfig, deps: ChannelDeps = {}): Channel {
  const now = deps.now ?? Date.now
  const label = `wecom channel "${config.id}"`
  return {
    id: config.id,
    kind: 'wecom',
    async deliver(payload, signal) {
      if (!isRenderedMessage(payload)) {
        throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not a rendered message`)
      }
      const reply = await sendHttp({
        label,
        url: config.url,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(wecomBody(payload, config.format)),
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        now,
      })
      const failure = vendorFailure(label, reply, rules, now)
      if (failure !== null) throw failure
    },
  }
}
