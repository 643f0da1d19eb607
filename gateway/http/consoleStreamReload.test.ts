import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { openSse, type SseStream } from '../../test/support/sse.js'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { ApiUserConfig } from '../config/schema.js'
import type { Alarm } from '../core/alarm.js'
import type { GatewayEvent } from '../core/events.js'
import { createApiServer } from './apiServer.js'
import type { ConsoleSnapshot } from './consoleSnapshot.js'
import { listen } from './listen.js'
import { noAlarms, quietApiDeps } from './testing/quietApiDeps.js'

const robbery = sampleAlarm({ id: 'robbery-1', key: 'robbery:panic-1', kind: 'robbery', silent: true })

describe('a console stream after a reload removed its user', () => {
  const { tokens, users: all } = apiTestUsers()
  let users: readonly ApiUserConfig[] = all
  const open: Alarm[] = []
  const listeners = new Set<(event: GatewayEvent) => void>()
  const streams: SseStream<ConsoleSnapshot>[] = []
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = createApiServer(
      quietApiDeps({
        users: () => users,
        alarms: { ...noAlarms, list: () => open },
        console: {
          store: { id: 's1', name: 'Store 1', locale: 'en', timeZone: 'Asia/Shanghai' },
          assets: new Map(),
          // no periodic snapshot during the test: every snapshot is the answer to a change
          refreshMs: 600_000,
          changes: (listener) => {
            listeners.add(listener)
            return () => listeners.delete(listener)
          },
        },
      }),
    )
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    for (const s of streams) s.close()
    await app.close()
  })

  it('ends at the next change without the silent alarm, and a reconnect is refused with 401', async () => {
    const { stream } = await openSse<ConsoleSnapshot>(`${base}/api/stream`, tokens.manager)
    streams.push(stream)
    await stream.until(() => true, 5000, 'the first snapshot')

    users = all.filter((u) => u.role !== 'manager')
    open.push(robbery)
    for (const listener of listeners) listener({ type: 'alarm', action: 'raised', alarm: robbery, by: 'rules', at: '' })
    await Promise.race([stream.ended, stream.until(() => false, 5000, 'the end of the stream')])
    expect(stream.snapshots.flatMap((s) => s.alarms.map((a) => a.id))).toEqual([])

    const again = await openSse<ConsoleSnapshot>(`${base}/api/stream`, tokens.manager)
    expect(again.status).toBe(401)
  })
})
