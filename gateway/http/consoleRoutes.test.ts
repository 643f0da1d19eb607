import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSse, type SseStream } from '../../test/support/sse.js'
import { hashSecret } from '../security/secretHash.js'
import { createApiServer } from './apiServer.js'
import { listen } from './listen.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

describe('live page streams are capped per page', () => {
  let app: FastifyInstance
  let base: string
  const streams: SseStream<unknown>[] = []

  beforeAll(async () => {
    app = createApiServer(
      quietApiDeps({
        users: [{ name: 'stan', role: 'staff', tokenHash: hashSecret('staff-token') }],
        console: {
          store: { id: 's1', name: 'Store 1', locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
          assets: new Map(),
          maxStreams: 2,
        },
      }),
    )
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    for (const s of streams) s.close()
    await app.close()
  })

  it('a full signage count answers 503 to the next signage page, and never locks a staff console out', async () => {
    const open = async (path: string, token?: string) => {
      const opened = await openSse<unknown>(`${base}${path}`, token)
      streams.push(opened.stream)
      return opened.status
    }
    expect(await open('/api/signage/stream')).toBe(200)
    expect(await open('/api/signage/stream')).toBe(200)
    expect(await open('/api/signage/stream')).toBe(503)
    expect(await open('/api/stream', 'staff-token')).toBe(200)
  })

  it('closes every open stream when the server closes, so shutting down never waits for a tablet', async () => {
    // with a stream left open, close() would wait for the client: the test would time out
    await expect(app.close()).resolves.toBeUndefined()
  })
})
