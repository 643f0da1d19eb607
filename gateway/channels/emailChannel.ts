import type { Transporter } from 'nodemailer'
import { type Channel, type ChannelDeps, DeliveryRejectedError, RetryableError } from './channel.js'
import { isRenderedMessage, type RenderedMessage } from './message.js'

/**
 * E-mail through the operator's SMTP relay (docs/requirements.md#channels). One SMTP transaction
 * per delivery, no connection pool: alarms are rare, and a fresh connection
 * never trips over a relay that dropped an idle one. The password appears in
 * no error message.
 */
export interface EmailChannelConfig {
  readonly id: string
  readonly host: string
  /** Default 587 (submission), or 465 when `secure`. */
  readonly port?: number
  /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when the relay offers it. */
  readonly secure?: boolean
  /** Refuse to send unless the relay upgrades with STARTTLS. */
  readonly requireTls?: boolean
  /** Log in with these when the relay advertises AUTH. */
  readonly username?: string
  readonly password?: string
  /** e.g. `StoreGuard <alarm@store.example>`. */
  readonly from: string
  /** Recipients when the payload names none. */
  readonly to: readonly string[]
  /** Connect, greeting and socket-idle timeout; default 10 000 ms. */
  readonly timeoutMs?: number
}

/**
 * What the outbox hands an e-mail channel: a rendered message (subject = its
 * title, body = its plain text) and the contacts' addresses. All recipients go
 * in one SMTP transaction; if the relay accepts some and refuses others, the
 * delivery counts as done (a retry would mail the accepted ones twice), so
 * prefer one recipient per notification when every inbox matters.
 */
export interface EmailPayload {
  readonly message: RenderedMessage
  readonly to?: readonly string[]
}

const DEFAULT_TIMEOUT_MS = 10_000

export function createEmailChannel(config: EmailChannelConfig, _deps: ChannelDeps = {}): Channel & { close(): void } {
  const label = `email channel "${config.id}"`
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const secure = config.secure === true
  // nodemailer is loaded with the first mail, not at start: most stores have no e-mail channel,
  // and it weighs some 14 MB of resident memory on a Pi
  let transport: Transporter | null = null
  const open = async (): Promise<Transporter> => {
    if (transport !== null) return transport
    const { createTransport } = await import('nodemailer')
    transport = createTransport(options)
    return transport
  }
  const options = {
    host: config.host,
    port: config.port ?? (secure ? 465 : 587),
    secure,
    requireTLS: config.requireTls === true,
    // Not forceAuth: a relay that hides AUTH on a plain connection must not be sent the password in clear;
    // it refuses MAIL FROM instead (530), which is reported as a permanent rejection.
    ...(config.username === undefined ? {} : { auth: { user: config.username, pass: config.password ?? '' } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  }
  let closed = false

  return {
    id: config.id,
    kind: 'email',
    async deliver(payload, signal) {
      const { to, message } = readPayload(payload, label)
      const recipients = to !== undefined && to.length > 0 ? to : config.to
      if (recipients.length === 0) throw new DeliveryRejectedError('payload_invalid', `${label}: no recipients`)
      if (closed) throw new RetryableError(`${label}: closed`)
      if (signal.aborted) throw new RetryableError(`${label}: aborted`, { cause: signal.reason })
      const smtp = await open()
      if (closed) throw new RetryableError(`${label}: closed`)
      try {
        await smtp.sendMail({
          from: config.from,
          to: [...recipients],
          subject: message.title,
          text: message.text,
          // Mostly Chinese text: base64 is ~1.4× its UTF-8 size, quoted-printable ~3×.
          textEncoding: 'base64',
          // RFC 3834 §5: tells auto-responders (out-of-office) not to answer an alarm.
          headers: { 'Auto-Submitted': 'auto-generated' },
          signal,
        })
      } catch (err) {
        if (signal.aborted) throw new RetryableError(`${label}: aborted`, { cause: signal.reason })
        throw smtpFailure(label, err, timeoutMs)
      }
    },
    close() {
      closed = true
      transport?.close()
    },
  }
}

/** nodemailer codes that mean "the connection failed", not "the relay said no". */
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'EPROXY', 'EABORT'])

/**
 * Judges a nodemailer error. A reply code decides first (RFC 5321 §4.2.1):
 * 4yz is transient; 5yz is permanent, except 503 (bad sequence: the session,
 * not the message, was wrong). Without one, connection trouble is retried and
 * the rest (bad credentials, bad envelope, TLS refused) is permanent. The
 * message names the channel, the reply code and the SMTP command; never the
 * relay's text, which may echo an address or a credential.
 */
export function smtpFailure(label: string, err: unknown, timeoutMs: number): Error {
  const e = (err !== null && typeof err === 'object' ? err : {}) as {
    code?: unknown
    responseCode?: unknown
    response?: unknown
    command?: unknown
    originalCode?: unknown
  }
  const code = typeof e.code === 'string' ? e.code : 'unknown'
  const command = typeof e.command === 'string' && e.command !== 'CONN' && e.command !== 'API' ? ` at ${e.command}` : ''
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600) {
    const reply = e.responseCode
    const enhanced = typeof e.response === 'string' ? enhancedStatus(e.response) : ''
    const what = `${label}: SMTP ${reply}${enhanced}${command}`
    if (reply < 500 || reply === 503) return new RetryableError(what)
    return new DeliveryRejectedError('vendor_rejected', what, { vendorCode: reply })
  }
  if (code === 'ETIMEDOUT') return new RetryableError(`${label}: no answer within ${timeoutMs} ms`)
  if (NETWORK_CODES.has(code)) {
    // The socket's own code (ECONNREFUSED, ECONNRESET) says more than nodemailer's ESOCKET.
    const detail = typeof e.originalCode === 'string' ? e.originalCode : code
    return new RetryableError(`${label}: network error (${detail}${command})`)
  }
  if (code === 'EENVELOPE') return new DeliveryRejectedError('payload_invalid', `${label}: invalid envelope${command}`)
  return new DeliveryRejectedError('vendor_rejected', `${label}: ${code}${command}`)
}

/** RFC 3463 enhanced status code (` 5.1.1`) from a reply line, or ''. */
function enhancedStatus(response: string): string {
  const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)
  return m === null ? '' : ` ${m[1]}`
}

function readPayload(payload: unknown, label: string): EmailPayload {
  if (isRenderedMessage(payload)) return { message: payload }
  const message = (payload as { message?: unknown } | null)?.message
  const to = (payload as { to?: unknown } | null)?.to
  const toOk = to === undefined || (Array.isArray(to) && to.every((a) => typeof a === 'string' && a.trim() !== ''))
  if (isRenderedMessage(message) && toOk) {
    return to === undefined ? { message } : { message, to: to as string[] }
  }
  throw new DeliveryRejectedError('payload_invalid', `${label}: payload is not an e-mail payload`)
}
