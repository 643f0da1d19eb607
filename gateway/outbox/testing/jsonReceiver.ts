import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type DeliveryChannel, RetryableError } from '../notification.js'

/** How long the channel below waits after a robot says "send too fast" (DingTalk errcode 130101). */
const RATE_LIMIT_RETRY_MS = 60_000

export interface Reply {
  readonly status: number
  readonly headers?: Record<string, string>
  /** Robot-style answer; `{ errcode: 0 }` when omitted. */
  readonly body?: unknown
  /** Never answer: the request hangs until the client gives up. */
  readonly hang?: boolean
  readonly delayMs?: number
}

/**
 * A robot API stand-in on 127.0.0.1. It accepts a message when it answers
 * 2xx with errcode 0, and can go down and come back on the same port.
 */
export async function startReceiver() {
  const hits: { path: string; body: unknown }[] = []
  const accepted: { path: string; body: unknown; at: number }[] = []
  const concurrent = { now: new Map<string, number>(), max: new Map<string, number>(), total: 0, maxTotal: 0 }
  const receiver = {
    url: '',
    hits,
    accepted,
    concurrent,
    /** Decides each answer; `hit` counts from 1. */
    reply: (_body: unknown, _hit: number): Reply => ({ status: 200 }),
    /** The time a message counts as accepted; tests point it at their injected clock. */
    clock: () => Date.now(),
    async down(): Promise<void> {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    async up(): Promise<void> {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    },
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const path = req.url ?? '/'
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
      hits.push({ path, body })
      const reply = receiver.reply(body, hits.length)
      if (reply.hang) return
      const inPath = (concurrent.now.get(path) ?? 0) + 1
      concurrent.now.set(path, inPath)
      concurrent.max.set(path, Math.max(concurrent.max.get(path) ?? 0, inPath))
      concurrent.maxTotal = Math.max(concurrent.maxTotal, ++concurrent.total)
      const answer = () => {
        concurrent.now.set(path, (concurrent.now.get(path) ?? 1) - 1)
        concurrent.total--
        const answerBody = reply.body ?? { errcode: 0, errmsg: 'ok' }
        const ok = reply.status < 300 && (answerBody as { errcode?: number }).errcode === 0
        if (ok) accepted.push({ path, body, at: receiver.clock() })
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        res.end(JSON.stringify(answerBody))
      }
      if (reply.delayMs) setTimeout(answer, reply.delayMs)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  receiver.url = `http://127.0.0.1:${port}`
  return receiver
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/**
 * A channel that POSTs its payload as JSON, the way the robot channels do,
 * and sorts failures the way the outbox expects: unreachable, 429 and 5xx
 * are retryable; DingTalk's errcode 130101 ("send too fast") is retryable
 * after a minute; any other refusal is permanent.
 */
export function jsonPostChannel(id: string, url: () => string): DeliveryChannel {
  return {
    id,
    async deliver(payload, signal) {
      let res: Response
      try {
        const body = JSON.stringify(payload)
        res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal })
      } catch (err) {
        if (signal.aborted) throw err
        throw new RetryableError('receiver unreachable', { cause: err })
      }
      const answer = (await res.json()) as { errcode?: number; errmsg?: string }
      if (res.status === 429 || res.status >= 500) {
        const retryAfterSec = Number(res.headers.get('retry-after'))
        const hint = retryAfterSec > 0 ? { retryAfterMs: retryAfterSec * 1000 } : {}
        throw new RetryableError(`HTTP ${res.status}`, hint)
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      if (answer.errcode === 130101) throw new RetryableError('errcode 130101', { retryAfterMs: RATE_LIMIT_RETRY_MS })
      if (answer.errcode !== 0) throw new Error(`errcode ${answer.errcode}: ${answer.errmsg}`)
    },
  }
}
