import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { type HttpReceiver, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent } from './testing/sampleEvents.js'
import { createWebhookChannel } from './webhookChannel.js'

const SECRET = 'shared-webhook-secret'
const NOW = 1_714_528_800_500
const live = () => new AbortController().signal
const hmacHex = (data: string) => createHmac('sha256', SECRET).update(data, 'utf8').digest('hex')

describe('generic webhook channel', () => {
  let receiver: HttpReceiver
  beforeEach(async () => {
    receiver = await startHttpReceiver()
  })
  afterEach(async () => {
    await receiver.close()
  })

  it('POSTs the event as JSON with the HMAC-SHA256 signature of the raw body', async () => {
    const channel = createWebhookChannel(
      { id: 'bms', url: `${receiver.origin}/events`, secret: SECRET },
      { now: () => NOW },
    )
    const event = alarmEvent()
    await channel.deliver(event, live())
    const [req] = receiver.requests
    expect(req?.method).toBe('POST')
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(req?.body ?? '')).toEqual(event)
    expect(req?.headers['x-storeguard-signature']).toBe(`sha256=${hmacHex(req?.body ?? '')}`)
  })

  it('sends the time it was sent, bound to the body by a second signature, so replays can be refused', async () => {
    const channel = createWebhookChannel(
      { id: 'bms', url: `${receiver.origin}/events`, secret: SECRET },
      { now: () => NOW },
    )
    await channel.deliver({ hello: 'world' }, live())
    const [req] = receiver.requests
    expect(req?.headers['x-storeguard-timestamp']).toBe('1714528800')
    expect(req?.headers['x-storeguard-signature-timestamped']).toBe(`sha256=${hmacHex(`1714528800.${req?.body}`)}`)
  })

  it('adds the configured headers, which cannot replace the signature', async () => {
    const channel = createWebhookChannel({
      id: 'bms',
      url: `${receiver.origin}/events`,
      secret: SECRET,
      headers: { Authorization: 'Bearer abc', 'X-StoreGuard-Signature': 'forged' },
    })
    await channel.deliver({ a: 1 }, live())
    const [req] = receiver.requests
    expect(req?.headers.authorization).toBe('Bearer abc')
    expect(req?.headers['x-storeguard-signature']).toBe(`sha256=${hmacHex('{"a":1}')}`)
  })

  it('is unsigned without a secret', async () => {
    await createWebhookChannel({ id: 'bms', url: `${receiver.origin}/events` }).deliver({ a: 1 }, live())
    expect(receiver.requests[0]?.headers['x-storeguard-signature']).toBeUndefined()
  })

  it('429 with an HTTP-date Retry-After is retried after that time', async () => {
    receiver.reply(() => ({ status: 429, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() } }))
    const channel = createWebhookChannel({ id: 'bms', url: `${receiver.origin}/events` }, { now: () => NOW })
    const err = await channel.deliver({}, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect((err as RetryableError).retryAfterMs).toBe(29_500)
  })

  it('500 is retried; 400 is refused for good', async () => {
    const channel = createWebhookChannel({ id: 'bms', url: `${receiver.origin}/events` })
    receiver.reply(() => ({ status: 500 }))
    await expect(channel.deliver({}, live())).rejects.toBeInstanceOf(RetryableError)
    receiver.reply(() => ({ status: 400 }))
    const err = await channel.deliver({}, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect(err).not.toBeInstanceOf(RetryableError)
    expect((err as Error).message).toBe('webhook channel "bms": HTTP 400')
  })

  it("its own timeout gives up on a receiver that never answers, even when the caller's signal does not", async () => {
    receiver.reply(() => ({ hang: true }))
    const channel = createWebhookChannel({ id: 'bms', url: `${receiver.origin}/events`, timeoutMs: 150 })
    const err = await channel.deliver({}, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect((err as Error).message).toBe('webhook channel "bms": no answer within 150 ms')
  })
})
