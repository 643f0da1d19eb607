import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Channel, DeliveryRejectedError, RetryableError } from './channel.js'
import { createDingtalkChannel } from './dingtalkChannel.js'
import { createFeishuChannel } from './feishuChannel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { createSmsChannel } from './smsChannel.js'
import { type HttpReceiver, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent } from './testing/sampleEvents.js'
import { createWebhookChannel } from './webhookChannel.js'
import { createWecomChannel } from './wecomChannel.js'

// Things that must never show up in an error message (docs/design.md#secrets: secrets are redacted).
const TOKEN = 'tok-7f3a9c'
const SECRET = 'SECsecret-91b2'
const AUTH = 'Bearer auth-55d1'

const message = renderEvent(alarmEvent(), { consoleUrl: 'https://gw.example' }) as RenderedMessage

/** Every HTTP channel, pointed at `origin`, with the payload it takes. */
const channels: Record<string, (origin: string) => { channel: Channel; payload: unknown }> = {
  webhook: (origin) => ({
    channel: createWebhookChannel({
      id: 'hook',
      url: `${origin}/hook/${TOKEN}`,
      secret: SECRET,
      headers: { authorization: AUTH },
    }),
    payload: alarmEvent(),
  }),
  wecom: (origin) => ({
    channel: createWecomChannel({ id: 'wecom', url: `${origin}/cgi-bin/webhook/send?key=${TOKEN}` }),
    payload: message,
  }),
  dingtalk: (origin) => ({
    channel: createDingtalkChannel({ id: 'ding', url: `${origin}/robot/send?access_token=${TOKEN}`, secret: SECRET }),
    payload: message,
  }),
  feishu: (origin) => ({
    channel: createFeishuChannel({ id: 'lark', url: `${origin}/open-apis/bot/v2/hook/${TOKEN}`, secret: SECRET }),
    payload: message,
  }),
  sms: (origin) => ({
    channel: createSmsChannel({
      id: 'sms',
      url: `${origin}/sms?apikey=${TOKEN}`,
      headers: { authorization: AUTH },
      body: '{"to":"{{phone}}","text":"{{text}}"}',
    }),
    payload: { to: ['13800000000'], message },
  }),
}

/** A signal that never aborts. */
const live = () => new AbortController().signal

async function failure(p: Promise<void>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('delivery succeeded')
}

function expectNoSecrets(err: Error): void {
  const shown = `${err.message} ${String(err.cause ?? '')}`
  for (const secret of [TOKEN, SECRET, AUTH, '13800000000']) expect(shown).not.toContain(secret)
}

describe.each(Object.keys(channels))('every channel: %s', (name) => {
  let receiver: HttpReceiver
  const make = (origin: string) => (channels[name] as (o: string) => { channel: Channel; payload: unknown })(origin)
  beforeEach(async () => {
    receiver = await startHttpReceiver()
  })
  afterEach(async () => {
    await receiver.close()
  })

  it('a receiver that is down is a retryable failure, not a lost message', async () => {
    const { origin } = receiver
    await receiver.close()
    const { channel, payload } = make(origin)
    const err = await failure(channel.deliver(payload, live()))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toContain('ECONNREFUSED')
    expectNoSecrets(err)
  })

  it('a receiver that never answers is abandoned when the signal aborts, and retried later', async () => {
    receiver.reply(() => ({ hang: true }))
    const { channel, payload } = make(receiver.origin)
    const abort = new AbortController()
    const delivering = failure(channel.deliver(payload, abort.signal))
    // abandoned for the abort, once the request hangs at the receiver, and not for the channel's own timeout
    await vi.waitFor(() => expect(receiver.requests).toHaveLength(1), { timeout: 10_000 })
    abort.abort(new Error('shutting down'))
    const err = await delivering
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toMatch(/: aborted$/)
    expect(receiver.requests).toHaveLength(1)
    expectNoSecrets(err)
  })

  it('HTTP 503 with Retry-After is retried after the delay the receiver asked for', async () => {
    receiver.reply(() => ({ status: 503, headers: { 'retry-after': '7' }, body: 'busy' }))
    const { channel, payload } = make(receiver.origin)
    const err = await failure(channel.deliver(payload, live()))
    expect(err).toBeInstanceOf(RetryableError)
    expect((err as RetryableError).retryAfterMs).toBe(7_000)
    expectNoSecrets(err)
  })

  it('HTTP 404 is permanent and names the channel, not its URL or credentials', async () => {
    receiver.reply(() => ({ status: 404, body: 'no such hook' }))
    const { channel, payload } = make(receiver.origin)
    const err = await failure(channel.deliver(payload, live()))
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect(err).not.toBeInstanceOf(RetryableError)
    expect((err as DeliveryRejectedError).status).toBe(404)
    expect(err.message).toContain(`"${channel.id}"`)
    expectNoSecrets(err)
  })

  it('a payload that is not what the channel sends is refused for good', async () => {
    const { channel } = make(receiver.origin)
    const err = await failure(channel.deliver(undefined, live()))
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as DeliveryRejectedError).code).toBe('payload_invalid')
    expect(receiver.requests).toHaveLength(0)
  })
})
