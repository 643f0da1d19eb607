import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { type HttpReceiver, startHttpReceiver } from './testing/httpReceiver.js'
import { alarmEvent } from './testing/sampleEvents.js'
import { createWecomChannel, WECOM_MARKDOWN_MAX_BYTES } from './wecomChannel.js'

const live = () => new AbortController().signal
const message = renderEvent(alarmEvent(), { consoleUrl: 'https://gw.example' }) as RenderedMessage

describe('WeCom group robot channel', () => {
  let robot: HttpReceiver
  beforeEach(async () => {
    robot = await startHttpReceiver()
    robot.reply(() => ({ body: { errcode: 0, errmsg: 'ok' } }))
  })
  afterEach(async () => {
    await robot.close()
  })

  const channel = (format?: 'markdown' | 'text') =>
    createWecomChannel({
      id: 'facilities',
      url: `${robot.origin}/cgi-bin/webhook/send?key=693a91f6-key`,
      ...(format === undefined ? {} : { format }),
    })

  it('POSTs {"msgtype":"markdown","markdown":{"content"}} to the webhook URL, key and all, unsigned', async () => {
    await channel().deliver(message, live())
    const [req] = robot.requests
    expect(req?.method).toBe('POST')
    expect(req?.url).toBe('/cgi-bin/webhook/send?key=693a91f6-key')
    expect(JSON.parse(req?.body ?? '')).toEqual({ msgtype: 'markdown', markdown: { content: message.markdown } })
  })

  it('can send plain text instead', async () => {
    await channel('text').deliver(message, live())
    expect(JSON.parse(robot.requests[0]?.body ?? '')).toEqual({ msgtype: 'text', text: { content: message.text } })
  })

  it('markdown longer than WeCom accepts is cut to 4096 bytes', async () => {
    const long = { ...message, markdown: '火'.repeat(3000) }
    await channel().deliver(long, live())
    const content: string = JSON.parse(robot.requests[0]?.body ?? '').markdown.content
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES)
    expect(content.endsWith('…')).toBe(true)
  })

  it('"api freq out of limit" (errcode 45009) is retried, not dropped', async () => {
    robot.reply(() => ({ body: { errcode: 45009, errmsg: 'api freq out of limit' } }))
    await expect(channel().deliver(message, live())).rejects.toBeInstanceOf(RetryableError)
  })

  it('an invalid webhook key (errcode 93000) is permanent and the key stays out of the error', async () => {
    robot.reply(() => ({ body: { errcode: 93000, errmsg: 'invalid webhook url' } }))
    const err = await channel()
      .deliver(message, live())
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    expect((err as DeliveryRejectedError).vendorCode).toBe(93000)
    expect((err as Error).message).toBe('wecom channel "facilities": errcode 93000 invalid webhook url')
  })
})
