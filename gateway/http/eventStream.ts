import type { FastifyReply } from 'fastify'

/** One open Server-Sent Events response. */
export interface EventStream {
  /** Writes one event; false once the client has gone. */
  send(event: string, data: unknown): boolean
  /** Called once when the client goes or the server closes the stream. */
  onClose(listener: () => void): void
  close(): void
}

/** Keep-alive comment interval: under the idle timeouts of proxies and of Node's own server. */
const KEEP_ALIVE_MS = 15_000

/**
 * Turns a reply into a Server-Sent Events stream (text/event-stream). The
 * reply is hijacked: Fastify no longer owns it, so nothing here may throw
 * into Fastify, and headers are written by hand — including the security
 * headers the page routes send, and `x-accel-buffering: no` so a reverse
 * proxy does not hold events back.
 */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  })
  // tells EventSource clients how long to wait before reconnecting
  res.write('retry: 2000\n\n')
  const listeners: (() => void)[] = []
  let closed = false
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS)
  keepAlive.unref()
  const finish = () => {
    if (closed) return
    closed = true
    clearInterval(keepAlive)
    for (const listener of listeners.splice(0)) listener()
  }
  res.on('close', finish)
  res.on('error', finish)
  return {
    send(event, data) {
      if (closed || res.destroyed) return false
      // JSON has no raw newlines, so one data: line carries it whole
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      return true
    },
    onClose(listener) {
      if (closed) listener()
      else listeners.push(listener)
    },
    close() {
      finish()
      res.end()
    },
  }
}
