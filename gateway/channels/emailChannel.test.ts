import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freePort } from '../../test/support/freePort.js'
import { DeliveryRejectedError, RetryableError } from './channel.js'
import { createEmailChannel, type EmailChannelConfig, smtpFailure } from './emailChannel.js'
import { type RenderedMessage, renderEvent } from './render.js'
import { alarmEvent } from './testing/sampleEvents.js'

const USER = 'alarm@store.example'
const PASSWORD = 'pw-3b9e71'
const message = renderEvent(alarmEvent(), { consoleUrl: 'https://gw.example' }) as RenderedMessage
const live = () => new AbortController().signal

/** One message as the SMTP server saw it. */
interface Received {
  readonly mailFrom: string | undefined
  readonly rcptTo: readonly string[]
  readonly user: string | undefined
  readonly raw: string
}

interface Relay {
  readonly port: number
  readonly received: Received[]
  close(): Promise<void>
}

/** A real SMTP server on loopback, plain text (no STARTTLS), with the given hooks. */
async function startRelay(options: SMTPServerOptions = {}): Promise<Relay> {
  const received: Received[] = []
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope
        received.push({
          mailFrom: mailFrom === false ? undefined : mailFrom.address,
          rcptTo: rcptTo.map((r) => r.address),
          user: session.user,
          raw: Buffer.concat(chunks).toString('latin1'),
        })
        callback()
      })
    },
    ...options,
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    const net = server.listen(0, '127.0.0.1', () => resolve((net.address() as AddressInfo).port))
  })
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** An SMTP error reply, as smtp-server takes it from a hook. */
function reply(responseCode: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode })
}

/** Headers (unfolded, names lower-cased) and the decoded body of a single-part message. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n')
  const headers = new Map<string, string>()
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':')
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim())
  }
  const encoded = raw.slice(split + 4)
  expect(headers.get('content-transfer-encoding')).toBe('base64')
  return { headers, body: Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8') }
}

/** RFC 2047 encoded words (UTF-8, B or Q); the space between two adjacent words is not text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('latin1')
        : data
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    )
    .replace(/[\x80-\xff]+/g, (bytes) => Buffer.from(bytes, 'latin1').toString('utf8'))
}

async function failure(p: Promise<void>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('delivery succeeded')
}

describe('e-mail channel', () => {
  let relay: Relay | undefined
  const channels: { close(): void }[] = []
  afterEach(async () => {
    for (const c of channels.splice(0)) c.close()
    await relay?.close()
    relay = undefined
  })

  function channel(over: Partial<EmailChannelConfig> = {}) {
    const c = createEmailChannel({
      id: 'mail',
      host: '127.0.0.1',
      port: relay?.port ?? 1,
      from: 'StoreGuard <storeguard@store.example>',
      to: ['manager@store.example'],
      ...over,
    })
    channels.push(c)
    return c
  }

  it('mails a rendered fire alarm: subject = title, body = the full text with its checklist', async () => {
    relay = await startRelay()
    await channel().deliver({ to: ['guard@store.example', 'boss@store.example'], message }, live())
    const [mail] = relay.received
    expect(mail?.mailFrom).toBe('storeguard@store.example')
    expect(mail?.rcptTo).toEqual(['guard@store.example', 'boss@store.example'])
    const { headers, body } = parseMessage(mail?.raw ?? '')
    expect(decodeWords(headers.get('subject') ?? '')).toBe(message.title)
    expect(headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i)
    expect(headers.get('auto-submitted')).toBe('auto-generated')
    expect(body.trimEnd()).toBe(message.text)
    expect(body).toContain('营业厅烟感报警')
    expect(body).toContain('1. 立即拨打 119')
  })

  it('falls back to the configured recipients when the payload names none, and takes a bare message', async () => {
    relay = await startRelay()
    const c = channel({ to: ['duty@store.example'] })
    await c.deliver({ to: [], message }, live())
    await c.deliver(message, live())
    expect(relay.received.map((m) => m.rcptTo)).toEqual([['duty@store.example'], ['duty@store.example']])
  })

  describe('with a relay that requires a login', () => {
    const login: SMTPServerOptions = {
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: auth.username })
        callback(new Error('Invalid username or password'))
      },
    }

    it('logs in with the configured username and password', async () => {
      relay = await startRelay(login)
      await channel({ username: USER, password: PASSWORD }).deliver(message, live())
      expect(relay.received[0]?.user).toBe(USER)
    })

    it('a wrong password is a permanent rejection that shows no credential', async () => {
      relay = await startRelay(login)
      const err = await failure(channel({ username: USER, password: `${PASSWORD}-old` }).deliver(message, live()))
      expect(err).toBeInstanceOf(DeliveryRejectedError)
      expect(err).toMatchObject({ code: 'vendor_rejected', vendorCode: 535 })
      expect(err.message).toMatch(/^email channel "mail": SMTP 535/)
      expect(err.cause).toBeUndefined()
      for (const secret of [PASSWORD, USER, '127.0.0.1']) expect(err.message).not.toContain(secret)
      expect(relay.received).toHaveLength(0)
    })

    it('sends no password to a relay that does not offer AUTH (as on a plain connection); its 530 is permanent', async () => {
      let authTried = false
      relay = await startRelay({
        disabledCommands: ['STARTTLS', 'AUTH'],
        onAuth(_auth, _session, callback) {
          authTried = true
          callback(new Error('no'))
        },
        onMailFrom(_address, session, callback) {
          callback(session.user === undefined ? reply(530, '5.7.0 Authentication required') : null)
        },
      })
      const err = await failure(channel({ username: USER, password: PASSWORD }).deliver(message, live()))
      expect(authTried).toBe(false)
      expect(err).toBeInstanceOf(DeliveryRejectedError)
      expect(err).toMatchObject({ code: 'vendor_rejected', vendorCode: 530 })
      expect(err.message).toBe('email channel "mail": SMTP 530 5.7.0 at MAIL FROM')
    })
  })

  it.each([
    ['onRcptTo', 451, 'retryable'],
    ['onRcptTo', 452, 'retryable'],
    ['onData', 451, 'retryable'],
    ['onMailFrom', 421, 'retryable'],
    ['onRcptTo', 550, 'permanent'],
    ['onData', 554, 'permanent'],
  ] as const)('the relay answering %s with %i is %s', async (hook, code, kind) => {
    const refuse = (_: unknown, _session: unknown, callback: (err: Error) => void) =>
      callback(reply(code, `${code === 550 ? '5.1.1' : '4.3.0'} refused <guard@store.example>`))
    relay = await startRelay(
      hook === 'onData'
        ? {
            onData(stream, _session, callback) {
              stream.on('end', () => callback(reply(code, 'refused')))
              stream.resume()
            },
          }
        : { [hook]: refuse },
    )
    const err = await failure(channel().deliver({ to: ['guard@store.example'], message }, live()))
    expect(err).toBeInstanceOf(kind === 'retryable' ? RetryableError : DeliveryRejectedError)
    expect(err.message).toContain(`email channel "mail": SMTP ${code}`)
    expect(err.message).not.toContain('guard@store.example')
    if (err instanceof DeliveryRejectedError) expect(err.vendorCode).toBe(code)
  })

  it('a recipient refused among accepted ones does not fail the delivery (a retry would mail the others twice)', async () => {
    relay = await startRelay({
      onRcptTo(address, _session, callback) {
        callback(address.address.startsWith('gone') ? reply(550, '5.1.1 no such user') : null)
      },
    })
    await channel().deliver({ to: ['gone@store.example', 'guard@store.example'], message }, live())
    expect(relay.received[0]?.rcptTo).toEqual(['guard@store.example'])
  })

  it('nobody listening is a retryable failure', async () => {
    const err = await failure(channel({ port: await freePort() }).deliver(message, live()))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toBe('email channel "mail": network error (ECONNREFUSED)')
  })

  it('a relay that stops answering is retried after timeoutMs', async () => {
    relay = await startRelay({ onData: (stream) => stream.resume() })
    const err = await failure(channel({ timeoutMs: 300 }).deliver(message, live()))
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toBe('email channel "mail": no answer within 300 ms')
  })

  it('an abort ends a send in progress with a retryable failure', async () => {
    let sendingData = false
    relay = await startRelay({
      onData: (stream) => {
        sendingData = true
        stream.resume()
      },
    })
    const abort = new AbortController()
    const sending = failure(channel().deliver(message, abort.signal))
    // in progress for sure once the relay is taking the message, however long getting there took
    await vi.waitFor(() => expect(sendingData).toBe(true), { timeout: 10_000 })
    abort.abort(new Error('shutting down'))
    const err = await sending
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toBe('email channel "mail": aborted')
    const already = await failure(channel().deliver(message, AbortSignal.abort()))
    expect(already).toBeInstanceOf(RetryableError)
  })

  it('requireTls refuses a relay without STARTTLS, for good', async () => {
    relay = await startRelay()
    const err = await failure(
      channel({ requireTls: true, username: USER, password: PASSWORD }).deliver(message, live()),
    )
    expect(err).toBeInstanceOf(DeliveryRejectedError)
    // nodemailer sends STARTTLS although it is not offered; the relay's 500 stops it before AUTH.
    expect(err.message).toBe('email channel "mail": SMTP 500 at STARTTLS')
    expect(relay.received).toHaveLength(0)
  })

  it('refuses payloads that are not a rendered message, or that have nobody to mail', async () => {
    relay = await startRelay()
    for (const payload of [{ text: 'hi' }, null, { message, to: 'guard@store.example' }, { message: { title: 'x' } }]) {
      const err = await failure(channel().deliver(payload, live()))
      expect(err).toMatchObject({ name: 'DeliveryRejectedError', code: 'payload_invalid' })
    }
    const none = await failure(channel({ to: [] }).deliver(message, live()))
    expect(none).toMatchObject({ code: 'payload_invalid', message: 'email channel "mail": no recipients' })
    expect(relay.received).toHaveLength(0)
  })

  it('judges replies by RFC 5321 class: 503 and a 454 login failure are transient, other 5yz permanent', () => {
    const judge = (err: object) => smtpFailure('email channel "m"', err, 1000)
    expect(judge({ code: 'EPROTOCOL', responseCode: 503, command: 'RCPT TO' })).toBeInstanceOf(RetryableError)
    expect(judge({ code: 'EAUTH', responseCode: 454, command: 'AUTH PLAIN' })).toBeInstanceOf(RetryableError)
    expect(judge({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad' }).message).toBe(
      'email channel "m": SMTP 535 5.7.8',
    )
    expect(judge({ code: 'EENVELOPE', command: 'API' })).toMatchObject({ code: 'payload_invalid' })
    expect(judge({ code: 'ESOCKET' })).toBeInstanceOf(RetryableError)
    expect(judge(new Error('?'))).toBeInstanceOf(DeliveryRejectedError)
  })
})
