import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { createDingtalkChannel } from './dingtalkChannel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { type HttpReceiver, rawQueryParam, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent } from './testing/sampleEvents.js'

const SECRET = 'SEC0123456789abcdef-test-secret'
const live = () => new AbortController().signal
const message = renderEvent(alarmEvent(), { consoleUrl: 'https://gw.example' }) as RenderedMessage

/**
 * DingTalk 自定义机器人 加签, written out from its documentation: the string to
 * sign is timestamp (ms) + "\n" + secret; HmacSHA256 with the secret as key;
 * Base64; then URL-encode.
 */
function documentedSign(timestampMs: number, secret: string): string {
  const stringToSign = `${timestampMs}\n${secret}`
  const base64 = createHmac('sha256', secret).update(stringToSign, 'utf8').digest('base64')
  return encodeURIComponent(base64)
}

/** A timestamp whose signature has a `+` or `/`, so the URL-encoding step is really exercised. */
function timestampNeedingEscapes(): number {
  for (let ts = 1_714_528_800_000; ; ts++) {
    if (/[+/]/.test(createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64'))) return ts
  }
}

describe('DingTalk custom robot channel', () => {
  let robot: HttpReceiver
  beforeEach(async () => {
    robot = await startHttpReceiver()
    robot.reply(() => ({ body: { errcode: 0, errmsg: 'ok' } }))
  })
  afterEach(async () => {
    await robot.close()
  })

  it('signs the webhook URL with timestamp and sign as DingTalk documents', async () => {
    const now = timestampNeedingEscapes()
    const channel = createDingtalkChannel(
      { id: 'security', url: `${robot.origin}/robot/send?access_token=tok`, secret: SECRET },
      { now: () => now },
    )
    await channel.deliver(message, live())
    const [req] = robot.requests
    expect(req?.method).toBe('POST')
    expect(req?.url.startsWith(`/robot/send?access_token=tok&timestamp=${now}&sign=`)).toBe(true)
    const sign = rawQueryParam(req?.url ?? '', 'sign')
    expect(sign).toBe(documentedSign(now, SECRET))
    expect(sign).toMatch(/%2B|%2F/)
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8')
  })

  it('sends the rendered alarm as a markdown message with its title', async () => {
    const channel = createDingtalkChannel({ id: 'security', url: `${robot.origin}/robot/send?access_token=tok` })
    await channel.deliver(message, live())
    expect(JSON.parse(robot.requests[0]?.body ?? '')).toEqual({
      msgtype: 'markdown',
      markdown: { title: '【紧急】火警 · 新告警', text: message.markdown },
    })
    // Unsigned without a secret: the URL is used as configured.
    expect(robot.requests[0]?.url).toBe('/robot/send?access_token=tok')
  })

  it('can send plain text instead', async () => {
    const channel = createDingtalkChannel({ id: 'ops', url: `${robot.origin}/robot/send`, format: 'text' })
    await channel.deliver(message, live())
    expect(JSON.parse(robot.requests[0]?.body ?? '')).toEqual({ msgtype: 'text', text: { content: message.text } })
  })

  it('"send too fast" (errcode 130101) on HTTP 200 is retried, not dropped', async () => {
    robot.reply(() => ({ body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } }))
    const channel = createDingtalkChannel({ id: 'security', url: `${robot.origin}/robot/send?access_token=tok` })
    const err = await channel.deliver(message, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect((err as Error).message).toContain('130101')
  })

  it('a signature mismatch (errcode 310000) is permanent and shows neither token nor secret', async () => {
    robot.reply(() => ({ body: { errcode: 310000, errmsg: 'sign not match' } }))
    const channel = createDingtalkChannel({
      id: 'security',
      url: `${robot.origin}/robot/send?access_token=tok-secret-token`,
      secret: SECRET,
    })
    const err = await channel.deliver(message, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as DeliveryRejectedError).vendorCode).toBe(310000)
    expect((err as Error).message).not.toMatch(/tok-secret-token|SEC0123/)
  })

  it('a redirect (how DingTalk turns away a throttled robot) is retried and not followed', async () => {
    robot.reply((req) => (req.url.startsWith('/elsewhere') ? {} : { status: 302, headers: { location: '/elsewhere' } }))
    const channel = createDingtalkChannel({ id: 'security', url: `${robot.origin}/robot/send?access_token=tok` })
    const err = await channel.deliver(message, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect(robot.requests).toHaveLength(1)
  })

  it('a 200 that is not DingTalk JSON (a proxy page) is retried rather than taken as delivered', async () => {
    robot.reply(() => ({ body: '<html>portal</html>' }))
    const channel = createDingtalkChannel({ id: 'security', url: `${robot.origin}/robot/send` })
    await expect(channel.deliver(message, live())).rejects.toBeInstanceOf(RetryableError)
  })
})
