import type { Channel, ChannelDeps } from '../channels/channel.js'
import { createDingtalkChannel } from '../channels/dingtalkChannel.js'
import { createFeishuChannel } from '../channels/feishuChannel.js'
import { type Locale, type RenderedMessage, type RenderOptions, renderEvent } from '../channels/render.js'
import { createSmsChannel, type SmsPayload } from '../channels/smsChannel.js'
import { createWebhookChannel } from '../channels/webhookChannel.js'
import { createWecomChannel } from '../channels/wecomChannel.js'
import type { NotificationChannelConfig, NotificationsConfig } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import { type Clock, isoAt } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmEvent, EventBus, GatewayEvent } from '../core/events.js'
import type { Logger } from '../log.js'
import { createOutbox, type Outbox } from '../outbox/outbox.js'
import { type BucketLimit, ROBOT_RATE_LIMITS } from '../outbox/tokenBucket.js'
import type { SqliteDatabase } from '../storage/database.js'
import { type AlarmGroupEvent, alarmGroupEvent, renderDigest } from './digest.js'
import { createEscalation } from './escalation.js'
import { createEscalationStore } from './escalationStore.js'
import { createGrouping } from './grouping.js'
import { type IsOpen, matchingRoutes, routeFlood, routeStaffEvent } from './routing.js'

export interface Notifications {
  readonly outbox: Outbox
  /** Time-based work: escalation of alarms still unacknowledged, digests of grouping windows that ended. */
  tick(now: number): void
  stop(): Promise<void>
}

export interface NotificationsDeps {
  readonly config: NotificationsConfig
  readonly db: SqliteDatabase
  readonly events: EventBus
  readonly clock: Clock
  readonly log: Logger
  /** Store calendar: open at this instant? (routes with `hours`). */
  readonly isOpen: IsOpen
  readonly timeZone: string
  readonly locale: Locale
  readonly storeName: string
  /** `devices[].name` by device id, shown in messages. */
  readonly deviceNames?: Readonly<Record<string, string>>
  /**
   * The alarms open now. At start, those still active_unacked resume
   * escalation after the last level sent before a restart; absent: none do.
   */
  readonly openAlarms?: () => readonly Alarm[]
}

/**
 * Notifications to people (SPEC §5, issue 7): alarm events are routed to
 * channels, rendered in the store locale and handed to the durable outbox,
 * which retries until delivered. Raised and escalated alarms are sent;
 * unacknowledged ones escalate on `tick` (levels sent are kept in the
 * journal, so a restart neither repeats nor skips one); alarms of one kind
 * raised to a channel within `groupWindowSec` after the first are held and
 * sent as one digest; an alarm-flood start goes to the catch-all routes (see
 * `routeFlood`); ticket deadlines and posted staff notices go to routes that
 * list them in `events` (see `routeStaffEvent`).
 */
export function startNotifications(deps: NotificationsDeps): Notifications {
  const { config, clock, isOpen } = deps
  const log = deps.log.child({ mod: 'notifications' })
  const channels = new Map(config.channels.map((c) => [c.id, createChannel(c, { now: () => clock.now() })]))
  checkRoutes(config, channels)
  const limits: Record<string, readonly BucketLimit[]> = {}
  for (const c of config.channels) {
    if (c.kind === 'dingtalk' || c.kind === 'wecom' || c.kind === 'feishu') limits[c.id] = ROBOT_RATE_LIMITS[c.kind]
  }
  const outbox = createOutbox({
    db: deps.db,
    channels,
    limits,
    clock,
    log,
    onFailed: (n) =>
      log.warn({ id: n.id, channel: n.channel, status: n.status, error: n.lastError }, 'notification not delivered'),
  })
  const render: RenderOptions = {
    locale: deps.locale,
    timeZone: deps.timeZone,
    storeName: deps.storeName,
    ...(config.consoleUrl === undefined ? {} : { consoleUrl: config.consoleUrl }),
    ...(deps.deviceNames === undefined ? {} : { deviceNames: deps.deviceNames }),
  }
  const escalationStore = createEscalationStore(deps.db)
  const escalation = createEscalation(escalationStore)
  const grouping = createGrouping(config.groupWindowSec * 1000)

  function send(event: GatewayEvent, channelIds: readonly string[], step: string): void {
    if (channelIds.length === 0) return
    const message = renderEvent(event, render)
    if (message === null) return
    enqueue(event, message, channelIds, `${subjectOf(event)}:${step}`)
  }

  function enqueue(
    event: GatewayEvent | AlarmGroupEvent,
    message: RenderedMessage,
    channelIds: readonly string[],
    subject: string,
  ): void {
    for (const id of channelIds) {
      const channel = channels.get(id)
      if (channel === undefined) continue
      try {
        outbox.send({ channel: id, dedupKey: `${subject}:${id}`, payload: payloadFor(channel, event, message) })
      } catch (err) {
        log.error({ err, channel: id, subject }, 'notification could not be queued')
      }
    }
  }

  function onEvent(event: GatewayEvent): void {
    if (event.type === 'ticket' || event.type === 'notice') {
      send(event, routeStaffEvent(config.routes, event, clock.now(), isOpen), event.action)
      return
    }
    if (event.type === 'alarm_flood') {
      if (event.action === 'started') send(event, routeFlood(config.routes, clock.now(), isOpen), 'started')
      return
    }
    if (event.type !== 'alarm') return
    escalation.onAlarmEvent(event)
    if (event.action !== 'raised' && event.action !== 'escalated') return
    const now = clock.now()
    const routes = matchingRoutes(config.routes, event.alarm, now, isOpen)
    const channelIds = [...new Set(routes.flatMap((r) => r.channels))]
    if (event.action === 'raised') {
      // grouping: within a window, later alarms of the kind wait for that window's digest —
      // except life-safety ones: a critical or silent alarm is never held back (SPEC §5)
      const urgent = event.alarm.severity === 'critical' || event.alarm.silent
      send(event, urgent ? channelIds : channelIds.filter((id) => grouping.offer(id, event.alarm, now)), 'raised')
      escalation.watch(event.alarm, routes)
      return
    }
    // a rule's own escalations (confirmed fire, reminders) are one message per level
    send(event, channelIds, `escalated.${event.alarm.escalationLevel}`)
  }

  function sendDigests(now: number): void {
    for (const digest of grouping.tick(now)) {
      const subject = `group:${digest.kind}:${digest.windowStartMs}:${digest.alarms.map((a) => a.id).join(',')}`
      enqueue(alarmGroupEvent(digest), renderDigest(digest, render), [digest.channel], subject)
    }
  }

  /** Alarms open across a restart: escalation resumes after the last level sent; stale rows go. */
  function resumeEscalation(): void {
    if (deps.openAlarms === undefined) return
    const unacked = deps.openAlarms().filter((a) => a.state === 'active_unacked')
    for (const alarm of unacked) {
      const raisedAtMs = Date.parse(alarm.raisedAt)
      // the routes that took it when it was raised
      escalation.watch(
        alarm,
        matchingRoutes(config.routes, alarm, Number.isNaN(raisedAtMs) ? clock.now() : raisedAtMs, isOpen),
      )
    }
    const open = new Set(unacked.map((a) => a.id))
    for (const id of escalationStore.alarmIds()) if (!open.has(id)) escalationStore.forget(id)
    if (escalation.size() > 0) log.info({ alarms: escalation.size() }, 'escalation resumed for open alarms')
  }

  try {
    resumeEscalation()
  } catch (err) {
    log.error({ err }, 'escalation could not be resumed')
  }
  const unsubscribe = deps.events.subscribe(onEvent)
  outbox.start()
  log.info({ channels: channels.size, routes: config.routes.length }, 'notifications started')

  return {
    outbox,
    tick(now) {
      // a level is recorded as sent in the same transaction that queues its messages
      deps.db.transaction(() => {
        for (const due of escalation.tick(now)) {
          const event: AlarmEvent = {
            type: 'alarm',
            action: 'escalated',
            alarm: due.alarm,
            by: 'gateway:notifications',
            at: isoAt(now),
          }
          send(event, due.channels, `unacked.${due.level}`)
        }
      })()
      sendDigests(now)
    },
    async stop() {
      unsubscribe()
      // held alarms are in memory: queue their digests now rather than lose them
      sendDigests(Number.POSITIVE_INFINITY)
      await outbox.stop()
    },
  }
}

/** Dedup subject of an event: the alarm, ticket or notice it is about. */
function subjectOf(event: GatewayEvent): string {
  switch (event.type) {
    case 'alarm':
      return event.alarm.id
    case 'ticket':
      return `ticket:${event.ticket.id}${event.fraction === undefined ? '' : `:${event.fraction}`}`
    case 'notice':
      return `notice:${event.notice.id}:${event.at}`
    default:
      return `${event.type}:${'at' in event ? event.at : ''}`
  }
}

/** What each kind of channel is handed: robots get the rendered message, a webhook the event too. */
function payloadFor(channel: Channel, event: GatewayEvent | AlarmGroupEvent, message: RenderedMessage): unknown {
  switch (channel.kind) {
    case 'webhook':
      return { event, message }
    case 'sms':
      return { message } satisfies SmsPayload
    default:
      return message
  }
}

function createChannel(c: NotificationChannelConfig, deps: ChannelDeps): Channel {
  const common = {
    id: c.id,
    url: c.url,
    ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }),
  }
  const secret = c.secret === undefined ? {} : { secret: c.secret }
  const headers = c.headers === undefined ? {} : { headers: c.headers }
  const robotFormat = c.format === 'markdown' || c.format === 'text' ? { format: c.format } : {}
  switch (c.kind) {
    case 'webhook':
      return createWebhookChannel({ ...common, ...secret, ...headers }, deps)
    case 'wecom':
      return createWecomChannel({ ...common, ...robotFormat }, deps)
    case 'dingtalk':
      return createDingtalkChannel({ ...common, ...secret, ...robotFormat }, deps)
    case 'feishu':
      return createFeishuChannel(
        { ...common, ...secret, ...(c.format === 'post' || c.format === 'text' ? { format: c.format } : {}) },
        deps,
      )
    case 'sms':
      return createSmsChannel(
        {
          ...common,
          ...headers,
          ...(c.method === undefined ? {} : { method: c.method }),
          ...(c.body === undefined ? {} : { body: c.body }),
          ...(c.bodyEncoding === undefined ? {} : { bodyEncoding: c.bodyEncoding }),
          ...(c.successPattern === undefined ? {} : { successPattern: c.successPattern }),
          ...(c.retryPattern === undefined ? {} : { retryPattern: c.retryPattern }),
          ...(c.maxTextChars === undefined ? {} : { maxTextChars: c.maxTextChars }),
          ...(c.to === undefined ? {} : { to: c.to }),
        },
        deps,
      )
  }
}

/** A route naming a channel that is not configured is a config error, found at start, not at the first alarm. */
function checkRoutes(config: NotificationsConfig, channels: ReadonlyMap<string, Channel>): void {
  for (const [i, route] of config.routes.entries()) {
    for (const id of [...route.channels, ...(route.escalateTo ?? [])]) {
      if (!channels.has(id)) {
        throw new StoreGuardError('config_invalid', `notifications.routes[${i}] names unknown channel "${id}"`)
      }
    }
  }
}
