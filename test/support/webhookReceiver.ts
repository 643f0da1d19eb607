import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedHook {
  /** The path the channel posts to, which tells the channels apart. */
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** The body as sent, for checking a signature over its exact bytes. */
  readonly raw: string
  // biome-ignore lint/suspicious/noExplicitAny: a test asserts the fields it reads
  readonly body: any
}

/** A webhook receiver on 127.0.0.1 that records every request and answers 200. */
export async function startWebhookReceiver(): Promise<{
  url: string
  received: ReceivedHook[]
  close: () => Promise<void>
}> {
  const received: ReceivedHook[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
