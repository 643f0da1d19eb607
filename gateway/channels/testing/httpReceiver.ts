import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as a vendor's server would see it: raw path and query, headers, raw body. */
export interface ReceivedRequest {
  readonly method: string
  /** Path and query exactly as sent (not decoded). */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface Reply {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown
  /** Never answer (for timeouts). */
  readonly hang?: boolean
}

/** A local HTTP server on 127.0.0.1, port 0, standing in for a vendor API in tests. */
export interface HttpReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly requests: ReceivedRequest[]
  /** How to answer the next requests; default 200 with `{}`. */
  reply(fn: (req: ReceivedRequest) => Reply): void
  close(): Promise<void>
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = []
  let answer: (req: ReceivedRequest) => Reply = () => ({ body: {} })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(received)
      const r = answer(received)
      if (r.hang) return
      const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {})
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    reply(fn) {
      answer = fn
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A raw query parameter as it was sent (still percent-encoded). */
export function rawQueryParam(url: string, name: string): string | undefined {
  const query = url.split('?')[1] ?? ''
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq) === name) return pair.slice(eq + 1)
  }
  return undefined
}
