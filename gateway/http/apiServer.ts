import type { ServerOptions } from 'node:https'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { ListenerTls } from '../config/listenerTls.js'
import type { Role } from '../config/schema.js'
import type { ComplaintDesk } from '../core/complaint.js'
import type { GatewayEvent } from '../core/events.js'
import type {
  AlarmCommands,
  ClosedAlarms,
  DeviceDirectory,
  HealthReport,
  NoticeCommands,
  NoticeDirectory,
  TicketCommands,
} from '../core/ports.js'
import { createRateLimitedLog, type Logger } from '../log.js'
import { type GatewayMetrics, sharedCounter } from '../metrics.js'
import { secretChecksCounter } from '../security/secretCheckMetrics.js'
import { verifySecret } from '../security/secretHash.js'
import { guardAlarmIds } from './alarmIdGuard.js'
import { registerAlarmRoutes } from './alarmRoutes.js'
import { seesAlarm, visibleDevices } from './alarmVisibility.js'
import { notFound, toHttpFailure } from './apiErrors.js'
import { type AuthRejection, createApiGuard } from './apiGuard.js'
import type { NotificationOutbox } from './apiPorts.js'
import { registerComplaintRoutes } from './complaintRoutes.js'
import { registerConsoleRoutes } from './consoleRoutes.js'
import type { StoreInfo } from './consoleSnapshot.js'
import { type NetworkFaultRoutesDeps, registerNetworkFaultRoutes } from './networkFaultRoutes.js'
import { registerNoticeRoutes } from './noticeRoutes.js'
import { registerNotificationRoutes } from './notificationRoutes.js'
import { countRefusals } from './refusalCount.js'
import { RequestLog } from './requestLog.js'
import { schemaErrorMessage } from './schemaErrors.js'
import { registerTicketRoutes } from './ticketRoutes.js'
import { type ApiUsers, createTokenAuth, type TokenAuthOptions } from './tokenAuth.js'
import { loadWebAssets, type WebAsset } from './webAssets.js'

/** Requests carry at most a short note; 16 KiB is generous and caps parsing work. */
const BODY_LIMIT_BYTES = 16 * 1024

export interface ApiServerDeps {
  /** Serve https with this certificate (`api.tls`); with its `ca`, clients must present a certificate it signed. */
  readonly https?: ListenerTls
  /** Read at every token check when a function: a config reload replaces the list. */
  readonly users: ApiUsers
  readonly alarms: AlarmCommands
  readonly devices: DeviceDirectory
  readonly notices: NoticeDirectory
  /** Posting and withdrawing notices by people; without them `POST`/`DELETE /api/notices` are not registered. */
  readonly noticeCommands?: NoticeCommands
  /** The journal's closed alarms for `GET /api/alarms?state=closed`; without it that answers an empty page. */
  readonly closedAlarms?: ClosedAlarms
  /** Repair tickets (docs/requirements.md#repair-tickets); without them the ticket routes are not registered. */
  readonly tickets?: TicketCommands
  /** The notification outbox (docs/requirements.md#durable-outbox); without it the notification routes are not registered. */
  readonly notifications?: NotificationOutbox
  /** Network faults (docs/requirements.md#network-fault); without them those routes are not registered. */
  readonly networkFaults?: Omit<NetworkFaultRoutesDeps, 'guard' | 'now'>
  /** The zones a complaint or a hand-opened ticket may name; the devices' zones without it. */
  readonly storeZones?: () => ReadonlySet<string>
  /** Escalated complaints raised by staff (docs/requirements.md#escalated-complaint); without it `POST /api/complaints` is not registered. */
  readonly complaints?: ComplaintDesk
  /** Clock for shelve times; default Date.now. */
  readonly now?: () => number
  /** Longest shelve allowed; default 8 h. */
  readonly maxShelveSec?: number
  readonly health: () => HealthReport
  readonly metrics: GatewayMetrics
  readonly log: Logger
  /** docs/requirements.md#robbery: role needed to reset an alarm (manager for robbery); never below staff. Default: staff. */
  readonly resetRoleFor?: (alarmId: string) => Role
  /** Token cache sizes and the hash check; defaults in `TokenAuthOptions`. */
  readonly tokenAuth?: TokenAuthOptions
  /** The staff console and signage pages with their live streams (docs/requirements.md#console); not served without it. */
  readonly console?: {
    readonly store: StoreInfo
    readonly changes?: (listener: (event: GatewayEvent) => void) => () => void
    readonly assets?: ReadonlyMap<string, WebAsset>
    readonly refreshMs?: number
    readonly maxStreams?: number
    readonly signage?: { readonly rotateSec: number }
  }
}

/**
 * The HTTP API (docs/requirements.md#http-api). Not listening yet: call `listen()`. Fastify logs
 * through our pino (which also redacts `authorization`, docs/design.md#secrets), and its
 * per-request lines are replaced by `RequestLog`'s, which carry no headers,
 * so a token never reaches the log.
 */
export function createApiServer(deps: ApiServerDeps): FastifyInstance {
  const log = deps.log.child({ mod: 'http' })
  // widened so the instance has Fastify's default logger type, which callers name as plain FastifyInstance
  const loggerInstance: FastifyBaseLogger = log
  const app = Fastify({
    loggerInstance,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT_BYTES,
    // reject rather than repair: no `"1"` → 1, no silently dropped fields
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    schemaErrorFormatter: schemaErrorMessage,
    ...(deps.https ? { https: httpsOptions(deps.https) } : {}),
    // https changes only the server underneath; routes and callers use the plain instance type
  }) as FastifyInstance
  acceptJsonOnly(app)

  countRefusals(app, deps.metrics.registry)
  const rejected = sharedCounter(deps.metrics.registry, {
    name: 'storeguard_http_auth_rejected_total',
    help: 'HTTP requests refused by authentication or role, by reason',
    labelNames: ['reason'],
  })
  const warn = createRateLimitedLog(log)
  const slowChecks = secretChecksCounter(deps.metrics.registry)
  const verify = deps.tokenAuth?.verify ?? verifySecret
  const tokenAuth = createTokenAuth(deps.users, {
    ...(deps.now ? { now: deps.now } : {}),
    ...deps.tokenAuth,
    verify: (secret, stored) => {
      slowChecks.inc({ protocol: 'http' })
      return verify(secret, stored)
    },
  })
  const guard = createApiGuard(tokenAuth, (reason: AuthRejection, request) => {
    rejected.inc({ reason })
    // refusals are logged at a bounded rate, keyed by reason only (an address is the
    // attacker's to choose); never the token itself
    warn(`auth:${reason}`, { reason, ip: request.ip, route: request.routeOptions.url }, 'request refused')
  })

  // before any route: every route that takes an alarm id must go through it
  guardAlarmIds(app, { guard, alarms: deps.alarms })

  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toHttpFailure(err)
    if (status >= 500) request.log.error({ err }, 'request failed')
    if (status === 401 && !reply.hasHeader('www-authenticate'))
      reply.header('www-authenticate', 'Bearer realm="storeguard"')
    return reply.code(status).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = notFound(request.method, request.url)
    return reply.code(status).send(body)
  })

  // Unauthenticated: the service manager and load balancers probe it.
  app.get('/healthz', async (_request, reply) => {
    const report = deps.health()
    return reply.code(report.status === 'ok' ? 200 : 503).send(report)
  })

  // Bearer, viewer: metrics count open alarms by kind, and robbery (docs/requirements.md#robbery) is
  // silent, so an anonymous scraper must not see one appear. Prometheus sends
  // the token with `authorization: { credentials_file: ... }` in scrape_configs.
  app.get('/metrics', { onRequest: guard.require('viewer') }, async (request, reply) => {
    const { registry, silentRegistry } = deps.metrics
    const text = await registry.metrics()
    // the silent series only for whoever may see a silent alarm: nothing of a robbery in a viewer's scrape
    const silent = seesAlarm(guard.userOf(request).role, { silent: true }) ? await silentRegistry.metrics() : ''
    return reply.type(registry.contentType).send(text + silent)
  })

  app.get('/api/devices', { onRequest: guard.require('viewer') }, async (request) => ({
    devices: visibleDevices(deps.devices.list(), guard.userOf(request).role),
  }))
  registerNoticeRoutes(app, {
    notices: deps.notices,
    ...(deps.noticeCommands ? { commands: deps.noticeCommands } : {}),
    devices: deps.devices,
    guard,
    now: deps.now ?? Date.now,
  })
  registerAlarmRoutes(app, {
    alarms: deps.alarms,
    guard,
    now: deps.now ?? Date.now,
    maxShelveSec: deps.maxShelveSec ?? 8 * 3600,
    ...(deps.resetRoleFor ? { resetRoleFor: deps.resetRoleFor } : {}),
    ...(deps.closedAlarms ? { closed: deps.closedAlarms } : {}),
  })
  if (deps.tickets) {
    const zones = deps.storeZones ?? (() => new Set(deps.devices.list().map((d) => d.zone)))
    registerTicketRoutes(app, { tickets: deps.tickets, guard, zones })
  }
  if (deps.complaints) registerComplaintRoutes(app, { desk: deps.complaints, guard })
  if (deps.notifications) registerNotificationRoutes(app, { outbox: deps.notifications, guard })
  if (deps.networkFaults) registerNetworkFaultRoutes(app, { ...deps.networkFaults, guard, now: deps.now ?? Date.now })
  if (deps.console) {
    const { users } = deps
    registerConsoleRoutes(app, {
      guard,
      users: typeof users === 'function' ? users : () => users,
      store: deps.console.store,
      alarms: deps.alarms,
      devices: deps.devices,
      notices: deps.notices,
      ...(deps.tickets ? { tickets: deps.tickets } : {}),
      ...(deps.console.changes ? { changes: deps.console.changes } : {}),
      ...(deps.console.refreshMs === undefined ? {} : { refreshMs: deps.console.refreshMs }),
      ...(deps.console.maxStreams === undefined ? {} : { maxStreams: deps.console.maxStreams }),
      ...(deps.console.signage ? { signage: deps.console.signage } : {}),
      now: deps.now ?? Date.now,
      assets: deps.console.assets ?? loadWebAssets(),
    })
  }
  return app
}

/** node:https server options for `api.tls`; a CA means client certificates are required, as on the broker. */
function httpsOptions(tls: ListenerTls): ServerOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
  }
}

/**
 * JSON in, nothing else: text/plain is refused with 415, and an empty body
 * sent as application/json (curl -X POST -H 'content-type: application/json')
 * counts as no body instead of a parse error.
 */
function acceptJsonOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') done(null, undefined)
    else parseJson(request, text, done)
  })
}
