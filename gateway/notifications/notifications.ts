import {
  type Locale,
  type RenderedMessage,
  type RenderOptions,
  renderEvent,
  UNACKED_REMINDER_BY,
} from '../channels/render.js'
import { formatPath } from '../config/configPath.js'
import { notificationProblems } from '../config/notificationsConsistency.js'
import type { NotificationRoute, NotificationsConfig } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import { type Clock, isoAt } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmEvent, EventBus, GatewayEvent } from '../core/events.js'
import type { ZoneNames } from '../core/zoneNames.js'
import type { Logger } from '../log.js'
import { createOutbox, type Outbox } from '../outbox/outbox.js'
import type { OutputArbiter } from '../outputs/arbiter.js'
import type { SqliteDatabase } from '../storage/database.js'
import { createChannel, payloadFor, rateLimitsOf } from './channelFactory.js'
import { digestChannels, escalationChannels, type FallbackContext } from './channelFallback.js'
import { updateChannels } from './channelSet.js'
import { type AlarmGroupEvent, alarmGroupEvent, renderDigest } from './digest.js'
import { createEscalation } from './escalation.js'
import { createEscalationStore } from './escalationStore.js'
import { createGrouping, offerToGroup } from './grouping.js'
import { createGroupingStore } from './groupingStore.js'
import { createLocalOutputs } from './localOutputs.js'
import { resumeEscalation, resumeOutputs } from './notificationResume.js'
import { subjectOf } from './notificationSubject.js'
import { type IsOpen, matchingRoutes, routeStaffEvent } from './routing.js'

export interface Notifications {
  readonly outbox: Outbox
  /** Time-based work: escalation of alarms still unacknowledged, digests of grouping windows that ended. */
  tick(now: number): void
  /**
   * A config reload's routes and channels (and device names for messages):
   * used from the next event on. Escalations under way keep the routes they
   * started with; a step to a channel since removed goes where the current
   * routes send it. The outputs, grouping window and rate limits stay until a restart.
   */
  reload(next: Pick<NotificationsConfig, 'routes' | 'channels'>, deviceNames?: Readonly<Record<string, string>>): void
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
  /** What staff call each zone (config `zones`), shown in messages instead of the id. */
  readonly zoneNames?: ZoneNames
  /**
   * The alarms open now. At start, those still active_unacked resume
   * escalation after the last level sent before a restart; absent: none do.
   */
  readonly openAlarms?: () => readonly Alarm[]
  /** Drives the sirens and strobes of `config.outputs`; required when there are any. */
  readonly outputs?: Pick<OutputArbiter, 'request'>
}

/**
 * Notifications to people (docs/requirements.md#notifications): alarm events are routed to
 * channels, rendered in the store locale and handed to the durable outbox,
 * which retries until delivered. Raised and escalated alarms are sent;
 * unacknowledged ones escalate on `tick` (levels sent are kept in the
 * journal, so a restart neither repeats nor skips one); alarms of one kind
 * raised to a channel within `groupWindowSec` after the first are held and
 * sent as one digest; ticket deadlines, posted staff notices, the pre-opening
 * report and the start of an alarm flood go to the routes that list them in
 * `events` (see `routeStaffEvent`). A channel id that is one
 * of `config.outputs` sounds a local siren or strobe for the alarm instead
 * (see `createLocalOutputs`): never through the outbox, never grouped.
 * Resuming alarms open across a restart is in notificationResume.
 */
export function startNotifications(deps: NotificationsDeps): Notifications {
  const { config, clock, isOpen } = deps
  const log = deps.log.child({ mod: 'notifications' })
  const problem = notificationProblems(config, null)[0]
  if (problem !== undefined) {
    throw new StoreGuardError('config_invalid', `notifications.${formatPath(problem.segments)} ${problem.message}`)
  }
  if (config.outputs.length > 0 && deps.outputs === undefined) {
    throw new StoreGuardError('config_invalid', 'notifications.outputs need the gateway output arbiter')
  }
  const channelDeps = { now: () => clock.now() }
  const channels = new Map(config.channels.map((c) => [c.id, createChannel(c, channelDeps)]))
  let channelConfigs = config.channels
  let routes: readonly NotificationRoute[] = config.routes
  const local = createLocalOutputs(config.outputs, deps.outputs ?? { request: () => undefined })
  const outbox = createOutbox({
    db: deps.db,
    channels,
    limits: rateLimitsOf(config.channels),
    clock,
    log,
    onFailed: (n) =>
      log.warn({ id: n.id, channel: n.channel, status: n.status, error: n.lastError }, 'notification not delivered'),
  })
  let render: RenderOptions = {
    locale: deps.locale,
    timeZone: deps.timeZone,
    storeName: deps.storeName,
    ...(config.consoleUrl === undefined ? {} : { consoleUrl: config.consoleUrl }),
    ...(deps.deviceNames === undefined ? {} : { deviceNames: deps.deviceNames }),
    ...(deps.zoneNames === undefined ? {} : { zoneNames: deps.zoneNames }),
  }
  const escalationStore = createEscalationStore(deps.db)
  const escalation = createEscalation(escalationStore)
  const grouping = createGrouping(config.groupWindowSec * 1000, createGroupingStore(deps.db))

  function send(event: GatewayEvent, channelIds: readonly string[], step: string): void {
    // local outputs sound for alarms (held until `until`); every other event is for people's phones only
    if (event.type === 'alarm') for (const id of channelIds) if (local.has(id)) local.hold(id, event.alarm, clock.now())
    const remote = channelIds.filter((id) => !local.has(id))
    if (remote.length === 0) return
    const message = renderEvent(event, render)
    if (message === null) return
    enqueue(event, message, remote, `${subjectOf(event)}:${step}`)
  }

  function enqueue(
    event: GatewayEvent | AlarmGroupEvent,
    message: RenderedMessage,
    channelIds: readonly string[],
    subject: string,
  ): void {
    for (const id of channelIds) {
      const channel = channels.get(id)
      if (channel === undefined) {
        log.error({ channel: id, subject }, 'notification channel unknown: not queued')
        continue
      }
      try {
        outbox.send({ channel: id, dedupKey: `${subject}:${id}`, payload: payloadFor(channel, event, message) })
      } catch (err) {
        log.error({ err, channel: id, subject }, 'notification could not be queued')
      }
    }
  }

  function onEvent(event: GatewayEvent): void {
    if (event.type === 'ticket' || event.type === 'notice') {
      send(event, routeStaffEvent(routes, event, clock.now(), isOpen), event.action)
      return
    }
    if (event.type === 'report') {
      send(event, routeStaffEvent(routes, event, clock.now(), isOpen), 'sent')
      return
    }
    if (event.type === 'alarm_flood') {
      send(event, routeStaffEvent(routes, event, clock.now(), isOpen), event.action)
      return
    }
    if (event.type !== 'alarm') return
    const now = clock.now()
    local.onAlarm(event.alarm, now)
    escalation.onAlarmEvent(event)
    if (event.action !== 'raised' && event.action !== 'escalated') return
    const matched = matchingRoutes(routes, event.alarm, now, isOpen)
    const channelIds = [...new Set(matched.flatMap((r) => r.channels))]
    if (event.action === 'raised') {
      // grouping: within a window, later alarms of the kind wait for that window's digest —
      // except life-safety ones: a critical or silent alarm is never held back (docs/requirements.md#rate-limits-and-grouping)
      const urgent = event.alarm.severity === 'critical' || event.alarm.silent
      const sendNow = urgent
        ? channelIds
        : channelIds.filter((id) => local.has(id) || offerToGroup(grouping, log, id, event.alarm, now))
      send(event, sendNow, 'raised')
      escalation.watch(event.alarm, matched)
      return
    }
    // a rule's own escalations (confirmed fire, reminders) are one message per level
    send(event, channelIds, `escalated.${event.alarm.escalationLevel}`)
  }

  // a reload may remove a channel an escalation or a digest still names: see channelFallback
  const fallback = (): FallbackContext => ({ routes, known: (id) => channels.has(id) || local.has(id), isOpen, log })

  /** A window's rows leave the journal in the same transaction that queues its digest: one or the other, always. */
  function sendDigests(now: number): void {
    deps.db.transaction(() => {
      for (const digest of grouping.tick(now)) {
        const subject = `group:${digest.kind}:${digest.windowStartMs}:${digest.alarms.map((a) => a.id).join(',')}`
        const to = digestChannels(digest.channel, digest.alarms, clock.now(), {
          ...fallback(),
          known: (id) => channels.has(id),
        })
        enqueue(alarmGroupEvent(digest), renderDigest(digest, render), to, subject)
      }
    })()
  }

  try {
    const resume = { config, clock, isOpen, log, openAlarms: deps.openAlarms, escalation, escalationStore, local }
    resumeOutputs(resume)
    resumeEscalation(resume)
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
            by: UNACKED_REMINDER_BY,
            at: isoAt(now),
          }
          send(event, escalationChannels(due, now, fallback()), `unacked.${due.level}`)
        }
      })()
      sendDigests(now)
      local.tick(now)
    },
    reload(next, deviceNames) {
      updateChannels(channels, channelConfigs, next.channels, channelDeps)
      channelConfigs = next.channels
      routes = next.routes
      if (deviceNames !== undefined) render = { ...render, deviceNames }
      log.info({ channels: channels.size, routes: routes.length }, 'notification routes and channels reloaded')
    },
    async stop() {
      unsubscribe()
      // queue the held digests now: a gateway stopped for good still tells people (a kill -9 keeps them in the journal)
      sendDigests(Number.POSITIVE_INFINITY)
      await outbox.stop()
    },
  }
}
