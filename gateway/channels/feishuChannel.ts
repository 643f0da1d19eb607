import { createHmac } from 'node:crypto'
import { type Channel, type ChannelDeps, DeliveryRejectedError } from './channel.js'
import { DEFAULT_TIMEOUT_MS, objectField, sendHttp, type VendorRules, vendorFailure } from './httpDelivery.js'
import { colon } from './labels.js'
import { isRenderedMessage, type RenderedMessage } from './message.js'

/**
 * Feishu / Lark custom bot (自定义机器人). The hook id in the webhook URL
 * (`https://open.feishu.cn/open-apis/bot/v2/hook/…`) is a credential; it never
 * appears in errors.
 */
export interface FeishuChannelConfig {
  readonly id: string
  readonly url: string
  /** The bot's 签名校验 secret; requests are signed when it is set. */
  readonly secret?: string
  /** `post` (rich text, default) or `text`. */
  readonly format?: 'post' | 'text'
  /** Per attempt; default 10 000 ms. */
  readonly timeoutMs?: number
}

/**
 * Feishu rate-limit signals, retried rather than dropped:
 * 11232 — custom bot frequency control (100 a minute, 5 a second per bot);
 * 99991400 — "request trigger frequency limit" (Open Platform rate limits);
 * 9499 — only when its msg is "too many request" (9499 also means "Bad Request").
 */
export const FEISHU_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([11232, 99991400])

const rules: VendorRules = {
  // Older replies carry only the legacy `StatusCode` field.
  codeOf: (body) => objectField(body, 'code') ?? objectField(body, 'StatusCode'),
  messageOf: (body) => objectField(body, 'msg') ?? objectField(body, 'StatusMessage'),
  codeName: 'code',
  rateLimited: (code, message) =>
    FEISHU_RATE_LIMIT_CODES.has(code) || (code === 9499 && /too many request/i.test(message)),
  resetHeader: 'x-ogw-ratelimit-reset',
}

/**
 * Feishu 签名校验: string_to_sign = `timestamp + "\n" + secret` (timestamp in
 * seconds), used as the HmacSHA256 KEY over an empty message, then Base64.
 * Not URL-encoded: it travels in the JSON body.
 */
export function feishuSign(timestampSec: number, secret: string): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64')
}

type PostElement = { tag: 'text'; text: string } | { tag: 'a'; text: string; href: string }

/** A rendered message as Feishu rich text: one paragraph per line, the console link last. */
export function feishuPost(message: RenderedMessage): object {
  const line = (text: string): PostElement[] => [{ tag: 'text', text }]
  const sep = colon(message.locale)
  const content: PostElement[][] = []
  if (message.summary !== null) content.push(line(message.summary))
  for (const f of message.facts) content.push(line(`${f.label}${sep}${f.value}`))
  if (message.checklist.length > 0) {
    content.push(line(`${message.checklistTitle}${sep.trimEnd()}`))
    for (const [i, step] of message.checklist.entries()) content.push(line(`${i + 1}. ${step}`))
  }
  for (const note of message.notes) content.push(line(note))
  if (message.link !== null) content.push([{ tag: 'a', text: message.link.label, href: message.link.url }])
  const lang = message.locale === 'zh-CN' ? 'zh_cn' : 'en_us'
  return { post: { [lang]: { title: message.title, content } } }
}

/** The request body Feishu's bot expects, without the signature fields. */
export function feishuBody(message: RenderedMessage, format: 'post' | 'text' = 'post'): Record<string, unknown> {
  if (format === 'text') return { msg_type: 'text', content: { text: message.text } }
  return { msg_type: 'post', content: feishuPost(message) }
}

/** Delivers a {@link RenderedMessage} (see render.ts) to a Feishu group. */
export function createFeishuChannel(config: FeishuChannelConfig, deps: ChannelDeps = {}): Channel {
  const now = deps.now ?? Date.now
  const label = `feishu channel "${config.id}"`
  return {
    id: config.id,
    kind: 'feishu',
    async deliver(payload, signal) {
      if (!isRenderedMessage(payload)) {
        throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not a rendered message`)
      }
      let body = feishuBody(payload, config.format)
      if (config.secret !== undefined) {
        // Signed per attempt: Feishu refuses a timestamp more than an hour from its clock.
        const timestamp = Math.floor(now() / 1000)
        body = { timestamp: String(timestamp), sign: feishuSign(timestamp, config.secret), ...body }
      }
      const reply = await sendHttp({
        label,
        url: config.url,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        now,
      })
      const failure = vendorFailure(label, reply, rules, now)
      if (failure !== null) throw failure
    },
  }
}
