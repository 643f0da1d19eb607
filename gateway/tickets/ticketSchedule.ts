import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import type { LocalizedText } from '../core/alarm.js'
import type { NoticeIntent } from '../core/intent.js'
import type { Notice, NoticeAudience } from '../core/notice.js'
import type { Ticket } from '../core/ticket.js'
import { type ZoneNames, zoneInText } from '../core/zoneNames.js'
import type { TicketService } from './ticketService.js'
import { dueWork, ticketTimeline } from './ticketTimeline.js'

/** The part of the notice service the schedule uses (gateway/notices/noticeService.ts). */
export interface StaffNotices {
  /** Idempotent by key: an unchanged repeat writes nothing. */
  post(intent: NoticeIntent, by: string): void
  withdraw(key: string, by: string): void
  list(audience?: NoticeAudience): readonly Notice[]
}

export interface TicketScheduleOptions {
  readonly tickets: Pick<TicketService, 'open' | 'recordScheduled'>
  readonly notices: StaffNotices
  readonly calendar: Pick<BusinessCalendar, 'addBusinessTime'>
  readonly config: Pick<TicketsConfig, 'remindAt'>
  /** The terminal's display name for the removal notice; its id when null. */
  readonly nameOf?: (deviceId: string) => string | null
  /** What staff call each zone (config `zones`): the removal notice names the terminal's zone by it. */
  readonly zoneNames?: ZoneNames
}

const BY = 'gateway:schedule'
const REMOVAL_PREFIX = 'ticket_removal:'
const DAY_MS = 86_400_000

/**
 * The staff notice for the emergency plan's "remove the terminal from the hall" (docs/requirements.md#terminal-fault); one per
 * device, or per hand-opened ticket (docs/requirements.md#hand-opened-tickets).
 */
export const removalNoticeKey = (deviceOrTicketId: string): string => `${REMOVAL_PREFIX}${deviceOrTicketId}`

const removalKeyOf = (ticket: Pick<Ticket, 'deviceId' | 'id'>): string => removalNoticeKey(ticket.deviceId ?? ticket.id)

/**
 * docs/requirements.md#reminders-and-escalation: reminders to maintenance at each `remindAt` fraction of the SLA,
 * escalation to the facilities manager at breach, and the removal task and
 * staff notice after `removeAfterDays`.
 *
 * These run on the gateway's 1 s tick (docs/design.md#lifecycle), not on node-cron, for two
 * reasons. Each ticket's instants are its own, not cron-shaped: 80 % of an SLA
 * on the business clock falls at, say, Fri 11:24, and moves with every
 * holiday, so cron could only poll "every minute" anyway. And node-cron skips
 * a run it missed (busy event loop, the clock jumping at NTP sync on a Pi
 * without an RTC) and knows nothing of runs missed while the gateway was down.
 * So every tick asks, from the ticket's persisted state alone (`dueWork`),
 * which duties are due and not yet recorded: a late tick or a restart catches
 * up, once. Each duty is recorded on the ticket in SQLite before it is
 * published, so it is sent exactly once, across restarts too. Only the daily,
 * cron-shaped pre-opening report uses node-cron (preOpeningReport.ts), with
 * its last run kept in SQLite and caught up by the same tick.
 */
export function createTicketSchedule(options: TicketScheduleOptions) {
  const { tickets, notices, calendar, config } = options

  function tick(nowMs: number): void {
    for (const ticket of tickets.open()) {
      const timeline = ticketTimeline(ticket, calendar, config.remindAt)
      for (const work of dueWork(ticket, timeline, nowMs)) tickets.recordScheduled(ticket.id, work, nowMs)
    }
    reconcileRemovalNotices()
  }

  /**
   * The removal notice follows the tickets, so a crash between recording the
   * task and posting the notice, or a repair, is put right on the next tick:
   * up while an open ticket has its removal due, withdrawn once none has.
   */
  function reconcileRemovalNotices(): void {
    const wanted = new Map<string, Ticket>()
    for (const t of tickets.open()) if (t.removalNotifiedAt !== null) wanted.set(removalKeyOf(t), t)
    for (const ticket of wanted.values()) {
      const name = ticket.deviceId === null ? ticket.facility : (options.nameOf?.(ticket.deviceId) ?? null)
      notices.post(removalNotice(ticket, name, options.zoneNames), BY)
    }
    for (const notice of notices.list('staff')) {
      if (notice.key.startsWith(REMOVAL_PREFIX) && !wanted.has(notice.key)) notices.withdraw(notice.key, BY)
    }
  }

  return { tick }
}

export type TicketSchedule = ReturnType<typeof createTicketSchedule>

/**
 * The emergency plan (docs/requirements.md#terminal-fault): a facility not repaired within a week is taken out of the hall
 * (docs/requirements.md#ticketable-facilities: every facility, not only terminals). zh-CN and en.
 */
export function removalNotice(ticket: Ticket, name: string | null, zoneNames: ZoneNames = {}): NoticeIntent {
  const days = Math.round((Date.parse(ticket.removalDueAt) - Date.parse(ticket.openedAt)) / DAY_MS)
  const shown = name ?? ticket.deviceId ?? ticket.id
  const terminal = ticket.deviceType === 'terminal'
  const what = {
    'zh-CN': terminal ? `自助终端 ${shown}` : shown,
    en: terminal ? `self-service terminal ${shown}` : shown,
  }
  const where = zoneInText(zoneNames, ticket.zone)
  const texts: LocalizedText = {
    'zh-CN': `请将${what['zh-CN']}（${where['zh-CN']}）撤出营业厅：故障已超过 ${days} 天未修复（工单 ${ticket.id}）`,
    en: `Remove ${what.en} (${where.en}) from the hall: not repaired for over ${days} days (ticket ${ticket.id})`,
  }
  return {
    type: 'notice',
    key: removalKeyOf(ticket),
    audience: 'staff',
    zone: ticket.zone,
    deviceId: ticket.deviceId,
    texts,
    endsAt: null,
  }
}
