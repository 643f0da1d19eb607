import type {
  AlarmAction,
  AlarmEvent,
  AlarmFloodEvent,
  GatewayEvent,
  NoticeEvent,
  TicketEvent,
} from '../core/events.js'
import type { ZoneNames } from '../core/zoneNames.js'
import {
  ALARM_ACTION_LABELS,
  KIND_LABELS,
  type Locale,
  NOTICE_ACTION_LABELS,
  SEVERITY_LABELS,
  TEXT,
  TICKET_ACTION_LABELS,
  TICKET_STATUS_LABELS,
  tag,
} from './labels.js'
import { composeMessage, formatLocalTime, type RenderedMessage } from './message.js'
import {
  type Ctx,
  device,
  fact,
  isPerson,
  kindLabel,
  link,
  storeFact,
  storeValue,
  ticketSubject,
  zone,
} from './renderContext.js'
import { renderReport } from './renderReport.js'

export type { Locale } from './labels.js'
export type { Fact, MessageLink, RenderedMessage } from './message.js'
export { isRenderedMessage } from './message.js'
export { consoleLink } from './renderContext.js'

/** How a store wants its notifications written (config `store.locale`, `store.timeZone`, console URL). */
export interface RenderOptions {
  /** Default zh-CN. */
  readonly locale?: Locale
  /** IANA zone for every time shown; default Asia/Shanghai. */
  readonly timeZone?: string
  /** Base URL of the staff console (docs/requirements.md#console); no link when absent. */
  readonly consoleUrl?: string
  /** Shown as the first fact, so a chain-wide group can tell stores apart. */
  readonly storeName?: string
  /** Device names from the config (`devices[].name`), shown beside the id. */
  readonly deviceNames?: Readonly<Record<string, string>>
  /** What staff call each zone (config `zones`), shown instead of the id. */
  readonly zoneNames?: ZoneNames
}

/**
 * Renders an event for people, in the store's locale. Pure: no clock, no I/O.
 * Returns null for events nobody is notified of (readings, ticket requests).
 */
export function renderEvent(event: GatewayEvent, options: RenderOptions = {}): RenderedMessage | null {
  const ctx: Ctx = {
    locale: options.locale ?? 'zh-CN',
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    consoleUrl: options.consoleUrl ?? null,
    storeName: options.storeName ?? null,
    deviceNames: options.deviceNames ?? {},
    zoneNames: options.zoneNames ?? {},
  }
  switch (event.type) {
    case 'alarm':
      return renderAlarm(event, ctx)
    case 'notice':
      return renderNotice(event, ctx)
    case 'ticket':
      return renderTicket(event, ctx)
    case 'alarm_flood':
      return renderAlarmFlood(event, ctx)
    case 'report':
      return renderReport(event, ctx)
    default:
      return null
  }
}

/**
 * `by` of the alarm events the notifications make up for an alarm still
 * unacknowledged (escalation levels and repeats): rendered as a reminder.
 */
export const UNACKED_REMINDER_BY = 'gateway:notifications'

/** `12 分钟` / `1 h 5 min`: how long an alarm has waited, to the minute. */
function duration(ms: number, locale: Locale): string {
  const min = Math.max(0, Math.round(ms / 60_000))
  const h = Math.floor(min / 60)
  const m = min % 60
  if (locale === 'zh-CN') return h > 0 ? `${h} 小时 ${m} 分钟` : `${m} 分钟`
  return h > 0 ? `${h} h ${m} min` : `${m} min`
}

/** Actions that call people to act: these carry the emergency plan's steps. */
const ACTIONS_WITH_CHECKLIST: ReadonlySet<AlarmAction> = new Set(['raised', 'updated', 'escalated', 'unshelved'])

function renderAlarm(event: AlarmEvent, ctx: Ctx): RenderedMessage {
  const { alarm, action } = event
  const { locale } = ctx
  const time = (iso: string) => formatLocalTime(iso, ctx.timeZone)
  const severity = SEVERITY_LABELS[alarm.severity][locale]
  const kind = KIND_LABELS[alarm.kind][locale]
  const facts = [
    ...storeFact(ctx),
    fact(TEXT.severity, severity, locale),
    fact(TEXT.kind, kind, locale),
    fact(TEXT.zone, zone(ctx, alarm.zone), locale),
    fact(TEXT.device, device(ctx, alarm.deviceId), locale),
    fact(TEXT.raisedAt, time(alarm.raisedAt), locale),
  ]
  if (action !== 'raised') facts.push(fact(TEXT.at, time(event.at), locale))
  if (isPerson(event.by)) facts.push(fact(TEXT.by, event.by, locale))
  if (alarm.escalationLevel > 0) facts.push(fact(TEXT.escalationLevel, String(alarm.escalationLevel), locale))
  const reminder = action === 'escalated' && event.by === UNACKED_REMINDER_BY
  if (reminder)
    facts.push(fact(TEXT.unackedFor, duration(Date.parse(event.at) - Date.parse(alarm.raisedAt), locale), locale))
  if (action === 'shelved' && alarm.shelvedUntil !== null) {
    facts.push(fact(TEXT.shelvedUntil, time(alarm.shelvedUntil), locale))
  }
  if (action === 'shelved' && alarm.shelveReason !== null) facts.push(fact(TEXT.reason, alarm.shelveReason, locale))
  if (action === 'reset' && alarm.note !== null) facts.push(fact(TEXT.note, alarm.note, locale))
  const open = alarm.state !== 'closed' && ACTIONS_WITH_CHECKLIST.has(action)
  return composeMessage({
    locale,
    title: `${alarm.silent ? TEXT.confidentialTag[locale] : ''}${tag(severity, locale)}${kind} · ${(reminder ? TEXT.stillUnacked : ALARM_ACTION_LABELS[action])[locale]}`,
    summary: alarm.messages[locale],
    facts,
    checklistTitle: TEXT.checklist[locale],
    checklist: open ? alarm.checklist[locale] : [],
    // Robbery (docs/requirements.md#robbery): silent. The text stays staff-only and says so.
    notes: alarm.silent ? [TEXT.confidentialNote[locale]] : [],
    link: link(ctx, 'alarms', alarm.id),
    confidential: alarm.silent,
    shortFacts: [...storeValue(ctx), zone(ctx, alarm.zone), alarm.deviceId, time(event.at)],
  })
}

function renderNotice(event: NoticeEvent, ctx: Ctx): RenderedMessage {
  const { notice } = event
  const { locale } = ctx
  const time = (iso: string) => formatLocalTime(iso, ctx.timeZone)
  const audience = notice.audience === 'customer' ? TEXT.customerNotice : TEXT.staffNotice
  const facts = [...storeFact(ctx)]
  if (notice.zone !== null) facts.push(fact(TEXT.zone, zone(ctx, notice.zone), locale))
  if (notice.deviceId !== null) facts.push(fact(TEXT.device, device(ctx, notice.deviceId), locale))
  facts.push(fact(TEXT.startsAt, time(notice.startsAt), locale))
  if (notice.endsAt !== null) facts.push(fact(TEXT.endsAt, time(notice.endsAt), locale))
  return composeMessage({
    locale,
    title: `${tag(audience[locale], locale)}${NOTICE_ACTION_LABELS[event.action][locale]}`,
    summary: notice.texts[locale],
    facts,
    checklistTitle: TEXT.checklist[locale],
    checklist: [],
    notes: [],
    link: link(ctx, 'notices', notice.id),
    confidential: false,
    shortFacts: [...storeValue(ctx), ...(notice.zone === null ? [] : [zone(ctx, notice.zone)]), time(event.at)],
  })
}

function renderTicket(event: TicketEvent, ctx: Ctx): RenderedMessage {
  const { ticket } = event
  const { locale } = ctx
  const time = (iso: string) => formatLocalTime(iso, ctx.timeZone)
  const facts = [
    ...storeFact(ctx),
    fact(TEXT.device, ticketSubject(ctx, ticket), locale),
    fact(TEXT.zone, zone(ctx, ticket.zone), locale),
  ]
  if (ticket.faultCodes.length > 0) facts.push(fact(TEXT.faultCodes, ticket.faultCodes.join(', '), locale))
  facts.push(fact(TEXT.status, TICKET_STATUS_LABELS[ticket.status][locale], locale))
  facts.push(fact(TEXT.dueAt, time(ticket.dueAt), locale))
  if (ticket.assignee !== null) facts.push(fact(TEXT.assignee, ticket.assignee, locale))
  if (event.action === 'reminder' && event.fraction !== undefined) {
    facts.push(fact(TEXT.slaUsed, `${Math.round(event.fraction * 100)}%`, locale))
  }
  if (event.action === 'removal_due') facts.push(fact(TEXT.removalDueAt, time(ticket.removalDueAt), locale))
  if (isPerson(event.by)) facts.push(fact(TEXT.by, event.by, locale))
  return composeMessage({
    locale,
    title: `${tag(TEXT.ticket[locale], locale)}${TICKET_ACTION_LABELS[event.action][locale]}`,
    summary: ticket.reason[locale],
    facts,
    checklistTitle: TEXT.checklist[locale],
    checklist: [],
    notes: [],
    link: link(ctx, 'tickets', ticket.id),
    confidential: false,
    shortFacts: [...storeValue(ctx), ticket.deviceId ?? ticket.facility ?? ticket.id, time(ticket.dueAt)],
  })
}

function renderAlarmFlood(event: AlarmFloodEvent, ctx: Ctx): RenderedMessage {
  const { locale } = ctx
  const zh = locale === 'zh-CN'
  const byKind = Object.entries(event.byKind)
    .map(([kind, n]) => `${kindLabel(kind, locale)} ${n}`)
    .join(zh ? '，' : ', ')
  const facts = [...storeFact(ctx), fact(TEXT.at, formatLocalTime(event.at, ctx.timeZone), locale)]
  if (byKind !== '') facts.push(fact(TEXT.byKind, byKind, locale))
  const state = event.action === 'started' ? TEXT.floodStarted : TEXT.floodEnded
  return composeMessage({
    locale,
    title: `${tag(TEXT.alarmFlood[locale], locale)}${state[locale]}`,
    summary: zh ? `${event.windowSec} 秒内 ${event.count} 条告警` : `${event.count} alarms within ${event.windowSec} s`,
    facts,
    checklistTitle: TEXT.checklist[locale],
    checklist: [],
    notes: [],
    link: link(ctx, 'alarms'),
    confidential: false,
    shortFacts: [...storeValue(ctx), formatLocalTime(event.at, ctx.timeZone)],
  })
}
