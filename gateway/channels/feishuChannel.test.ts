import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { createFeishuChannel } from './feishuChannel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { type HttpReceiver, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent, robberyEvent } from './testing/sampleEvents.js'

const SECRET = 'feishu-test-secret'
const live = () => new AbortController().signal
const options = { consoleUrl: 'https://gw.example' }
const message = renderEvent(alarmEvent(), options) as RenderedMessage

/**
 * Feishu 自定义机器人 签名校验, written out from its documentation:
 * string_to_sign = timestamp (seconds) + "\n" + secret, used as the
 * HmacSHA256 KEY over an empty message, then Base64 (no URL-encoding).
 */
function documentedSign(timestampSec: number, secret: string): string {
  const stringToSign = `${timestampSec}\n${secret}`
  return createHmac('sha256', stringToSign).update('').digest('base64')
}

describe('Feishu custom bot channel', () => {
  let bot: HttpReceiver
  beforeEach(async () => {
    bot = await startHttpReceiver()
    bot.reply(() => ({ body: { code: 0, msg: 'success', data: {} } }))
  })
  afterEach(async () => {
    await bot.close()
  })

  const channel = (over: { secret?: string; format?: 'post' | 'text' } = {}, now = 1_714_528_800_999) =>
    createFeishuChannel(
      { id: 'security', url: `${bot.origin}/open-apis/bot/v2/hook/hook-id`, ...over },
      { now: () => now },
    )

  it('puts timestamp (seconds, as a string) and sign in the body as Feishu documents', async () => {
    await channel({ secret: SECRET }).deliver(message, live())
    const body = JSON.parse(bot.requests[0]?.body ?? '')
    expect(body.timestamp).toBe('1714528800')
    expect(body.sign).toBe(documentedSign(1_714_528_800, SECRET))
    expect(bot.requests[0]?.url).toBe('/open-apis/bot/v2/hook/hook-id')
  })

  it('sends the rendered alarm as rich text: one paragraph per line, the console link last', async () => {
    await channel().deliver(message, live())
    const body = JSON.parse(bot.requests[0]?.body ?? '')
    expect(body.timestamp).toBeUndefined()
    expect(body.msg_type).toBe('post')
    expect(body.content.post.zh_cn.title).toBe('【紧急】火警 · 新告警')
    expect(body.content.post.zh_cn.content).toEqual([
      [{ tag: 'text', text: '营业厅烟感报警' }],
      [{ tag: 'text', text: '级别：紧急' }],
      [{ tag: 'text', text: '类型：火警' }],
      [{ tag: 'text', text: '区域：hall' }],
      [{ tag: 'text', text: '设备：smoke-1' }],
      [{ tag: 'text', text: '发生时间：2024-05-01 10:00:00' }],
      [{ tag: 'text', text: '处置步骤：' }],
      [{ tag: 'text', text: '1. 立即拨打 119' }],
      [{ tag: 'text', text: '2. 组织顾客疏散' }],
      [{ tag: 'a', text: '打开值班台', href: 'https://gw.example/alarms/a-1' }],
    ])
  })

  it('an English store gets an en_us post, and a robbery keeps its confidentiality note', async () => {
    const robbery = renderEvent(robberyEvent(), { ...options, locale: 'en' }) as RenderedMessage
    await channel().deliver(robbery, live())
    const post = JSON.parse(bot.requests[0]?.body ?? '').content.post
    expect(Object.keys(post)).toEqual(['en_us'])
    expect(post.en_us.title).toBe('[CONFIDENTIAL] [Critical] Robbery alarm · raised')
    expect(post.en_us.content).toContainEqual([
      {
        tag: 'text',
        text: 'Confidential: silent alarm for security staff only; do not show or announce it on any customer-facing screen, speaker or voice device.',
      },
    ])
  })

  it('can send plain text instead', async () => {
    await channel({ format: 'text' }).deliver(message, live())
    expect(JSON.parse(bot.requests[0]?.body ?? '')).toEqual({ msg_type: 'text', content: { text: message.text } })
  })

  it('the bot frequency limit (code 11232) is retried', async () => {
    bot.reply(() => ({ status: 400, body: { code: 11232, msg: 'frequency limited', data: {} } }))
    await expect(channel().deliver(message, live())).rejects.toBeInstanceOf(RetryableError)
  })

  it('code 9499 is retried when it says "too many request", and permanent when it says "Bad Request"', async () => {
    bot.reply(() => ({ status: 400, body: { code: 9499, msg: 'too many request', data: {} } }))
    await expect(channel().deliver(message, live())).rejects.toBeInstanceOf(RetryableError)
    bot.reply(() => ({ body: { code: 9499, msg: 'Bad Request', data: {} } }))
    const err = await channel()
      .deliver(message, live())
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as DeliveryRejectedError).vendorCode).toBe(9499)
  })

  it('HTTP 429 waits for x-ogw-ratelimit-reset seconds', async () => {
    bot.reply(() => ({
      status: 429,
      headers: { 'x-ogw-ratelimit-limit': '100', 'x-ogw-ratelimit-reset': '52' },
      body: { code: 99991400, msg: 'request trigger frequency limit' },
    }))
    const err = await channel()
      .deliver(message, live())
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect((err as RetryableError).retryAfterMs).toBe(52_000)
  })

  it('a failed signature check (code 19021) is permanent and does not show the secret', async () => {
    bot.reply(() => ({
      body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} },
    }))
    const err = await channel({ secret: SECRET })
      .deliver(message, live())
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as Error).message).toContain('19021')
    expect((err as Error).message).not.toMatch(/feishu-test-secret|hook-id/)
  })

  it('the legacy reply with only StatusCode 0 counts as delivered', async () => {
    bot.reply(() => ({ body: { StatusCode: 0, StatusMessage: 'success' } }))
    await expect(channel().deliver(message, live())).resolves.toBeUndefined()
  })
})
