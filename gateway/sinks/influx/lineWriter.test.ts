import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyFailure } from './influxClient.js'
import { createLineWriter } from './lineWriter.js'

interface Seen {
  readonly url: string
  readonly authorization: string | undefined
  readonly body: string
}

/** A stand-in InfluxDB on 127.0.0.1: `answer` decides each reply (or never replies). */
async function standIn(answer: (req: IncomingMessage) => { status: number; body?: string } | 'hang') {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        url: String(req.url),
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      })
      const reply = answer(req)
      if (reply === 'hang') return
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { port, seen, server }
}

const settings = (url: string, timeoutMs = 2000) => ({ url, database: 'store db', timeoutMs })

describe('writing line protocol to InfluxDB over HTTP', () => {
  const servers: Server[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })
  const start = async (answer: Parameters<typeof standIn>[0]) => {
    const s = await standIn(answer)
    servers.push(s.server)
    return s
  }

  it('POSTs the lines to <prefix>/write with the database, ms precision and basic auth from the URL', async () => {
    const { port, seen } = await start(() => ({ status: 204 }))
    const write = createLineWriter(settings(`http://gw:s%40cret@127.0.0.1:${port}/influx/`))
    await write('sensor,device=a temperature=21 1\n')
    expect(seen).toEqual([
      {
        url: '/influx/write?db=store+db&precision=ms',
        authorization: `Basic ${Buffer.from('gw:s@cret').toString('base64')}`,
        body: 'sensor,device=a temperature=21 1\n',
      },
    ])
  })

  it('a refusal rejects with the status and InfluxDB’s own words, which classifyFailure reads as rejected points', async () => {
    const { port } = await start(() => ({
      status: 400,
      body: '{"error":"partial write: field type conflict dropped=1"}',
    }))
    const err = await createLineWriter(settings(`http://127.0.0.1:${port}`))('x v=1 1\n').catch((e: unknown) => e)
    expect(classifyFailure(err)).toEqual({
      kind: 'rejected',
      status: 400,
      detail: 'partial write: field type conflict dropped=1',
    })
  })

  it('a 503 from InfluxDB or a proxy in front of it is unavailable (buffer and retry), not a bad point', async () => {
    const { port } = await start(() => ({ status: 503, body: '<html>Service Unavailable</html>' }))
    const err = await createLineWriter(settings(`http://127.0.0.1:${port}`))('x v=1 1\n').catch((e: unknown) => e)
    expect(classifyFailure(err)).toEqual({
      kind: 'unavailable',
      status: 503,
      detail: '<html>Service Unavailable</html>',
    })
  })

  it('an InfluxDB that takes the connection and never answers times out as unavailable, not forever', async () => {
    const { port } = await start(() => 'hang')
    const err = await createLineWriter(settings(`http://127.0.0.1:${port}`, 300))('x v=1 1\n').catch((e: unknown) => e)
    expect(String(err)).toMatch(/timed out after 300 ms/)
    expect(classifyFailure(err).kind).toBe('unavailable')
  })

  it('nobody listening is unavailable too (the writer buffers to disk)', async () => {
    const { port, server } = await start(() => ({ status: 204 }))
    server.close()
    const err = await createLineWriter(settings(`http://127.0.0.1:${port}`))('x v=1 1\n').catch((e: unknown) => e)
    expect(classifyFailure(err)).toMatchObject({ kind: 'unavailable', status: null })
  })
})
