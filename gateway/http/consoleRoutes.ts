import { isDeepStrictEqual } from 'node:util'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ApiUserConfig } from '../config/schema.js'
import type { Alarm } from '../core/alarm.js'
import type { GatewayEvent } from '../core/events.js'
import type { DeviceDirectory, NoticeDirectory, TicketCommands } from '../core/ports.js'
import { seesAlarm, visibleAlarms, visibleDevices } from './alarmVisibility.js'
import type { ApiGuard } from './apiGuard.js'
import type { ConsoleSnapshot, SignageSnapshot, StoreInfo } from './consoleSnapshot.js'
import { withReadings } from './deviceReading.js'
import { type EventStream, openEventStream } from './eventStream.js'
import type { WebAsset } from './webAssets.js'

export interface ConsoleRoutesDeps {
  readonly guard: ApiGuard
  readonly store: StoreInfo
  readonly alarms: { list(): readonly Alarm[] }
  readonly devices: DeviceDirectory
  readonly notices: NoticeDirectory
  readonly tickets?: Pick<TicketCommands, 'list'>
  /** Gateway events (the event bus), subscribed once: a change pushes a fresh snapshot. Without it, only the periodic one. */
  readonly changes?: (listener: (event: GatewayEvent) => void) => () => void
  readonly now: () => number
  readonly assets: ReadonlyMap<string, WebAsset>
  /**
   * Open streams at most, each page on its own count (default 32): the
   * signage stream needs no sign-in, so anyone on the store network filling
   * it must not lock the staff consoles out.
   */
  readonly maxStreams?: number
  /** The `signage` config section; default: a page of notices every 10 s. */
  readonly signage?: { readonly rotateSec: number }
  /**
   * The API's users now (a reload replaces them). A console stream whose user
   * was removed or changed since it signed in ends at the next change or
   * snapshot; without it, a stream keeps the user it opened with.
   */
  readonly users?: () => readonly ApiUserConfig[]
  /** A snapshot at least this often (device last-seen, ticket countdowns resync); default 10 s. */
  readonly refreshMs?: number
}

/** Changes within this window share one snapshot: an alarm flood is not a snapshot flood. */
const COALESCE_MS = 100

/**
 * Pages only from this server: no inline script, no third-party anything
 * (the store network is offline), never framed.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const

/**
 * docs/requirements.md#console: the staff console (`/`) and the customer signage page
 * (`/signage`), their static files (`/assets/<name>`), and their live data
 * as Server-Sent Events: `GET /api/stream` (bearer token, any role; silent
 * alarms for managers and admins only) and `GET /api/signage/stream` (no
 * sign-in; active customer notices, nothing else).
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleRoutesDeps): void {
  const { guard, assets } = deps
  const maxStreams = deps.maxStreams ?? 32
  const refreshMs = deps.refreshMs ?? 10_000
  const open = { console: new Set<EventStream>(), signage: new Set<EventStream>() }
  // One bus listener for every page: readings (thousands a second) are turned away by one type check,
  // whatever the number of open pages; only alarm, ticket and notice changes reach the streams.
  const watchers = new Set<(event: GatewayEvent) => void>()
  deps.changes?.((event) => {
    if (event.type !== 'alarm' && event.type !== 'ticket' && event.type !== 'notice') return
    for (const watch of watchers) watch(event)
  })

  const page = (name: string) => async (request: FastifyRequest, reply: FastifyReply) =>
    serveAsset(reply, assets.get(name), request.headers['if-none-match'])
  app.get('/', page('console.html'))
  app.get('/signage', page('signage.html'))
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) =>
    serveAsset(reply, assets.get(request.params.name), request.headers['if-none-match']),
  )

  app.get('/api/stream', { onRequest: guard.require('viewer') }, async (request, reply) => {
    const user = guard.userOf(request)
    const snapshot = (): ConsoleSnapshot => ({
      user: { name: user.name, role: user.role },
      serverTime: new Date(deps.now()).toISOString(),
      store: deps.store,
      alarms: visibleAlarms(deps.alarms.list(), user.role),
      devices: withReadings(visibleDevices(deps.devices.list(), user.role)),
      tickets: deps.tickets?.list() ?? [],
      notices: deps.notices.list(),
    })
    // a hidden alarm's change pushes nothing: an extra snapshot at the moment of a robbery would give it away
    const relevant = (e: GatewayEvent) => e.type !== 'alarm' || seesAlarm(user.role, e.alarm)
    // docs/reload.md: a changed role counts at once — a user removed or changed by a reload is not sent one
    // more snapshot (a silent alarm among them); the console reconnects and signs in again, or gets 401
    const signedIn = () => deps.users?.().some((u) => isDeepStrictEqual(u, user)) ?? true
    return serveStream(reply, open.console, snapshot, relevant, signedIn)
  })

  app.get('/api/signage/stream', async (_request, reply) => {
    const snapshot = (): SignageSnapshot => {
      const names = new Map(deps.devices.list().map((d) => [d.id, d.name]))
      return {
        store: { name: deps.store.name },
        notices: deps.notices.list('customer').map((n) => ({
          id: n.id,
          zone: n.zone,
          deviceId: n.deviceId,
          deviceName: n.deviceId === null ? null : (names.get(n.deviceId) ?? null),
          texts: n.texts,
          startsAt: n.startsAt,
          endsAt: n.endsAt,
          ...(n.emergency ? { emergency: n.emergency } : {}),
        })),
        rotateSec: deps.signage?.rotateSec ?? 10,
      }
    }
    const forSignage = (e: GatewayEvent) => e.type === 'notice' && e.notice.audience === 'customer'
    return serveStream(reply, open.signage, snapshot, forSignage, () => true)
  })

  // an open stream would keep close() waiting for the client: end them first
  app.addHook('preClose', (done) => {
    for (const stream of [...open.console, ...open.signage]) stream.close()
    done()
  })

  function serveStream(
    reply: FastifyReply,
    streams: Set<EventStream>,
    snapshot: () => unknown,
    relevant: (e: GatewayEvent) => boolean,
    signedIn: () => boolean,
  ) {
    if (streams.size >= maxStreams) {
      return reply
        .code(503)
        .header('retry-after', '10')
        .send({ error: { code: 'too_many_streams', message: `at most ${maxStreams} live pages at once` } })
    }
    const stream = openEventStream(reply)
    streams.add(stream)
    let pending: ReturnType<typeof setTimeout> | null = null
    const push = () => {
      pending = null
      if (signedIn()) stream.send('snapshot', snapshot())
      else stream.close()
    }
    const watch = (event: GatewayEvent) => {
      if (!signedIn()) stream.close()
      else if (pending === null && relevant(event)) pending = setTimeout(push, COALESCE_MS)
    }
    watchers.add(watch)
    const refresh = setInterval(push, refreshMs)
    refresh.unref()
    stream.onClose(() => {
      streams.delete(stream)
      watchers.delete(watch)
      clearInterval(refresh)
      if (pending !== null) clearTimeout(pending)
    })
    push()
    return reply
  }
}

function serveAsset(reply: FastifyReply, asset: WebAsset | undefined, ifNoneMatch: string | undefined) {
  if (asset === undefined) {
    return reply.code(404).send({ error: { code: 'not_found', message: 'no such page' } })
  }
  reply.headers(PAGE_HEADERS).header('etag', asset.etag)
  if (ifNoneMatch === asset.etag) return reply.code(304).send()
  return reply.type(asset.contentType).send(asset.body)
}
