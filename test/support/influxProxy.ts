import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface InfluxProxy {
  /** `http://127.0.0.1:<port>`: give this to the gateway instead of influxd's own URL. */
  readonly url: string
  /** While set, every request (writes, queries, /ping) is answered with this status instead of forwarded. */
  answerWith(status: number | null): void
  /** Requests answered with the set status so far. */
  readonly refused: number
  close(): Promise<void>
}

/**
 * A reverse proxy on 127.0.0.1 in front of a real influxd (plain http) that
 * can be told to answer every request itself, e.g. `503 Service Unavailable`
 * as a load balancer does while InfluxDB restarts behind it. Everything else
 * is influxd's own answer.
 */
export async function startInfluxProxy(target: string): Promise<InfluxProxy> {
  const upstream = new URL(target)
  let status: number | null = null
  let refused = 0
  const server: Server = createServer((req, res) => {
    if (status !== null) {
      refused++
      req.resume()
      res.writeHead(status, { 'content-type': 'text/plain' }).end('maintenance\n')
      return
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.writeHead(502).end())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    answerWith(next) {
      status = next
    },
    get refused() {
      return refused
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
