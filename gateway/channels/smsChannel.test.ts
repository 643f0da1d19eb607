import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { createSmsChannel, fillTemplate, jsonEscape } from './smsChannel.js'
import { type HttpReceiver, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent } from './testing/sampleEvents.js'

const live = () => new AbortController().signal
// A summary with quotes, a backslash and a newline: the template must not break on them.
const tricky = alarmEvent({ messages: { 'zh-CN': '烟感 "A\\1"\n报警', en: 'Smoke "A\\1"\nalarm' } })
const message = renderEvent(tricky, { consoleUrl: 'https://gw.example' }) as RenderedMessage

describe('SMS gateway channel', () => {
  let gateway: HttpReceiver
  beforeEach(async () => {
    gateway = await startHttpReceiver()
  })
  afterEach(async () => {
    await gateway.close()
  })

  it('fills a JSON body template with the phone and the JSON-escaped short text', async () => {
    const channel = createSmsChannel({
      id: 'sms',
      url: `${gateway.origin}/send`,
      headers: { 'X-Api-Key': 'k-1' },
      body: '{"mobile":"{{phone}}","content":"{{ text }}","sign":"StoreGuard"}',
    })
    await channel.deliver({ to: ['+86 138-0000-0000'], message }, live())
    const [req] = gateway.requests
    expect(req?.method).toBe('POST')
    expect(req?.headers['x-api-key']).toBe('k-1')
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(req?.body ?? '')).toEqual({
      mobile: '+86 138-0000-0000',
      content: message.short,
      sign: 'StoreGuard',
    })
  })

  it('fills a GET URL template with URL-encoded values', async () => {
    const channel = createSmsChannel({
      id: 'sms',
      method: 'GET',
      url: `${gateway.origin}/sms?to={{phone}}&msg={{text}}`,
    })
    await channel.deliver({ to: ['13800000000'], message }, live())
    const url = new URL(`http://x${gateway.requests[0]?.url}`)
    expect(gateway.requests[0]?.method).toBe('GET')
    expect(url.searchParams.get('to')).toBe('13800000000')
    expect(url.searchParams.get('msg')).toBe(message.short)
  })

  it('form-encodes the body template when asked', async () => {
    const channel = createSmsChannel({
      id: 'sms',
      url: `${gateway.origin}/send`,
      body: 'to={{phone}}&text={{text}}',
      bodyEncoding: 'form',
    })
    await channel.deliver({ to: ['13800000000'], message }, live())
    const [req] = gateway.requests
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(new URLSearchParams(req?.body).get('text')).toBe(message.short)
  })

  it("sends one request per contact, to the payload's numbers or else the configured ones", async () => {
    const channel = createSmsChannel({
      id: 'sms',
      url: `${gateway.origin}/send`,
      body: '{"to":"{{phone}}"}',
      to: ['13900000000'],
    })
    await channel.deliver({ to: ['13800000001', '13800000002'], message }, live())
    await channel.deliver(message, live())
    expect(gateway.requests.map((r) => JSON.parse(r.body).to)).toEqual(['13800000001', '13800000002', '13900000000'])
  })

  it('a gateway that answers 200 with an error is caught by the success pattern; its throttle code is retried', async () => {
    const channel = createSmsChannel({
      id: 'sms',
      url: `${gateway.origin}/send`,
      body: '{"to":"{{phone}}"}',
      successPattern: '"Code":\\s*"OK"',
      retryPattern: 'BUSINESS_LIMIT_CONTROL',
    })
    gateway.reply(() => ({ body: { Code: 'OK' } }))
    await expect(channel.deliver({ to: ['13800000000'], message }, live())).resolves.toBeUndefined()
    gateway.reply(() => ({ body: { Code: 'isv.BUSINESS_LIMIT_CONTROL' } }))
    await expect(channel.deliver({ to: ['13800000000'], message }, live())).rejects.toBeInstanceOf(RetryableError)
    gateway.reply(() => ({ body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL' } }))
    const err = await channel.deliver({ to: ['13800000000'], message }, live()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as Error).message).not.toContain('13800000000')
  })

  it('refuses payloads with no recipient or with something that is not a phone number', async () => {
    const channel = createSmsChannel({ id: 'sms', url: `${gateway.origin}/send` })
    const none = await channel.deliver(message, live()).catch((e: unknown) => e)
    expect((none as DeliveryRejectedError).code).toBe('payload_invalid')
    const bad = await channel.deliver({ to: ['13800000000', '"},"x":"'], message }, live()).catch((e: unknown) => e)
    expect((bad as Error).message).toBe('sms channel "sms": recipient 2 is not a phone number')
    expect(gateway.requests).toHaveLength(0)
  })

  it('cuts texts longer than the configured limit', async () => {
    const channel = createSmsChannel({
      id: 'sms',
      url: `${gateway.origin}/send`,
      body: '{"t":"{{text}}"}',
      maxTextChars: 10,
    })
    await channel.deliver({ to: ['13800000000'], message }, live())
    const sent: string = JSON.parse(gateway.requests[0]?.body ?? '').t
    expect([...sent]).toHaveLength(10)
    expect(sent.endsWith('…')).toBe(true)
  })

  it('template placeholders are escaped for their place', () => {
    expect(fillTemplate('{"t":"{{text}}"}', { phone: '1', text: 'a"b\nc' }, jsonEscape)).toBe('{"t":"a\\"b\\nc"}')
    expect(fillTemplate('?m={{phone}}', { phone: '+86 1', text: '' }, encodeURIComponent)).toBe('?m=%2B86%201')
  })
})
