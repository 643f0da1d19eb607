import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { openSse, type SseStream } from '../../test/support/sse.js'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { Alarm } from '../core/alarm.js'
import type { GatewayEvent } from '../core/events.js'
import { createApiServer } from './apiServer.js'
import type { ConsoleSnapshot } from './consoleSnapshot.js'
import { listen } from './listen.js'
import { noAlarms, quietApiDeps } from './testing/quietApiDeps.js'

const robbery = sampleAlarm({ id: 'robbery-1', key: 'robbery:panic-1', kind: 'robbery', silent: true })
const fire = sampleAlarm({ id: 'fire-1', key: 'fire:smoke-1' })
const raised = (alarm: Alarm): GatewayEvent => ({
  type: 'alarm',
  action: 'raised',
  alarm,
  by: 'rules',
  at: alarm.raisedAt,
})

describe('the console stream of a role below manager does not stir when a robbery is raised', () => {
  const { tokens, users } = apiTestUsers()
  const open: Alarm[] = []
  const listeners = new Set<(event: GatewayEvent) => void>()
  const streams: SseStream<ConsoleSnapshot>[] = []
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = createApiServer(
      quietApiDeps({
        users,
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

  async function stream(token: string): Promise<SseStream<ConsoleSnapshot>> {
    const { stream } = await openSse<ConsoleSnapshot>(`${base}/api/stream`, token)
    streams.push(stream)
    await stream.until(() => true, 5000, 'the first snapshot')
    return stream
  }
  const emit = (alarm: Alarm) => {
    open.push(alarm)
    for (const listener of listeners) listener(raised(alarm))
  }

  it('staff get no snapshot for the robbery, a manager does; both get the next fire', async () => {
    const staff = await stream(tokens.staff)
    const manager = await stream(tokens.manager)

    emit(robbery)
    await manager.until((s) => s.alarms.some((a) => a.id === robbery.id), 5000, 'the robbery for the manager')
    emit(fire)
    await manager.until((s) => s.alarms.some((a) => a.id === fire.id), 5000, 'the fire for the manager')
    await staff.until((s) => s.alarms.some((a) => a.id === fire.id), 5000, 'the fire for staff')

    // one stream is one ordered connection: a snapshot pushed for the robbery would have come before the fire's
    expect(staff.snapshots.map((s) => s.alarms.map((a) => a.id))).toEqual([[], [fire.id]])
  })
})
