import { createHmac } from 'node:crypto'
import { type Channel, type ChannelDeps, DeliveryRejectedError } from './channel.js'
import { DEFAULT_TIMEOUT_MS, objectField, sendHttp, type VendorRules, vendorFailure } from './httpDelivery.js'
import { isRenderedMessage, type RenderedMessage } from './message.js'

/**
 * DingTalk (钉钉) custom robot (自定义机器人). The access token is in the
 * webhook URL (`https://oapi.dingtalk.com/robot/send?access_token=…`), so the
 * URL is a secret too; neither appears in errors.
 */
export interface DingtalkChannelConfig {
  readonly id: string
  readonly url: string
  /** The robot's 加签 secret (`SEC…`); requests are signed when it is set. */
  readonly secret?: string
  /** `markdown` (default) or `text`. */
  readonly format?: 'markdown' | 'text'
  /** Per attempt; default 10 000 ms. */
  readonly timeoutMs?: number
}

/** DingTalk `errcode` 130101: "send too fast, exceed 20 times per minute". */
export const DINGTALK_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([130101])

const rules: VendorRules = {
  codeOf: (body) => objectField(body, 'errcode'),
  messageOf: (body) => objectField(body, 'errmsg'),
  codeName: 'errcode',
  rateLimited: (code) => DINGTALK_RATE_LIMIT_CODES.has(code),
}

/**
 * DingTalk 加签: the string to sign is `timestamp + "\n" + secret` (timestamp
 * in ms, within an hour of DingTalk's clock); HmacSHA256 keyed with the
 * secret, Base64, then URL-encoded (UTF-8).
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64')
  return encodeURIComponent(digest)
}

/** The webhook URL with `&timestamp=…&sign=…` appended, as DingTalk asks. */
export function signedDingtalkUrl(url: string, secret: string, timestampMs: number): string {
  const sep = url.includes('?') ? '&' : '?'
  return `${url}${sep}timestamp=${timestampMs}&sign=${dingtalkSign(timestampMs, secret)}`
}

/** The request body DingTalk's robot expects for a rendered message. */
export function dingtalkBody(message: RenderedMessage, format: 'markdown' | 'text' = 'markdown'): object {
  if (format === 'text') return { msgtype: 'text', text: { content: message.text } }
  // `title` is what the chat list and the push notification show.
  return { msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } }
}

/** Delivers a {@link RenderedMessage} (see render.ts) to a DingTalk group. */
export function createDingtalkChannel(config: DingtalkChannelConfig, deps: ChannelDeps = {}): Channel {
  const now = deps.now ?? Date.now
  const label = `dingtalk channel "${config.id}"`
  return {
    id: config.id,
    kind: 'dingtalk',
    async deliver(payload, signal) {
      if (!isRenderedMessage(payload)) {
        throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not a rendered message`)
      }
      // Signed per attempt: DingTalk refuses a timestamp more than an hour old, and retries can be later than that.
      const url = config.secret === undefined ? config.url : signedDingtalkUrl(config.url, config.secret, now())
      const reply = await sendHttp({
        label,
        url,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(dingtalkBody(payload, config.format)),
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        now,
      })
      const failure = vendorFailure(label, reply, rules, now)
      if (failure !== null) throw failure
    },
  }
}
