import type { Alarm } from '../core/alarm.js'
import type { ReportEvent } from '../core/events.js'
import type { ReportDevice, Ticket } from '../core/ticket.js'
import { colon, KIND_LABELS, SEVERITY_LABELS, TEXT, TICKET_STATUS_LABELS, tag } from './labels.js'
import { composeMessage, formatLocalTime, type RenderedMessage } from './message.js'
import { type Ctx, device, fact, link, storeFact, storeValue, ticketSubject, zone } from './renderContext.js'

/**
 * docs/requirements.md#store-opening: the pre-opening report as a message for the duty
 * manager's channel — the counts, then one line per thing to check (faulty
 * device, open alarm, open ticket, overdue first). The report itself lists
 * silent alarms (it is for managers), but a notification channel is never a
 * silent route, so robbery alarms are left out of the text and the counts.
 */
export function renderReport(event: ReportEvent, ctx: Ctx): RenderedMessage {
  const { report } = event
  const { locale } = ctx
  const zh = locale === 'zh-CN'
  const time = (iso: string) => formatLocalTime(iso, ctx.timeZone)
  const alarms = report.alarms.filter((a) => !a.silent)
  const faulty = report.devices.filter((d) => d.status === 'fault')
  const overdue = report.summary.overdueTickets
  const summary = zh
    ? `设备 ${report.summary.devices} 台（故障 ${faulty.length}），未处理告警 ${alarms.length} 条，报修单 ${report.tickets.length} 张（超时 ${overdue}）`
    : `${report.summary.devices} devices (${faulty.length} faulty), ${alarms.length} open alarms, ${report.tickets.length} open tickets (${overdue} overdue)`
  const facts = [...storeFact(ctx), fact(TEXT.openingAt, time(report.openingAt), locale)]
  const toCheck = [
    ...faulty.map((d) => deviceLine(d, ctx)),
    ...alarms.map((a) => alarmLine(a, ctx)),
    ...[...report.tickets]
      .sort((a, b) => Number(isOverdue(b, report.generatedAt)) - Number(isOverdue(a, report.generatedAt)))
      .map((t) => ticketLine(t, report.generatedAt, ctx)),
  ]
  return composeMessage({
    locale,
    title: `${tag(TEXT.preOpening[locale], locale)}${time(report.openingAt)}`,
    summary,
    facts,
    checklistTitle: TEXT.toCheck[locale],
    checklist: toCheck,
    notes: [
      ...(report.late ? [TEXT.lateReport[locale]] : []),
      ...(toCheck.length === 0 ? [TEXT.allClear[locale]] : []),
    ],
    link: link(ctx, 'reports'),
    confidential: false,
    shortFacts: [...storeValue(ctx), time(report.openingAt)],
  })
}

function deviceLine(d: ReportDevice, ctx: Ctx): string {
  const reasons = d.faults.map((f) => f.message || f.reason).join(ctx.locale === 'zh-CN' ? '；' : '; ')
  return `${device(ctx, d.id)} · ${zone(ctx, d.zone)}${reasons === '' ? '' : `${colon(ctx.locale)}${reasons}`}`
}

function alarmLine(a: Alarm, ctx: Ctx): string {
  const { locale } = ctx
  return `${tag(SEVERITY_LABELS[a.severity][locale], locale)}${KIND_LABELS[a.kind][locale]} · ${zone(ctx, a.zone)} · ${device(ctx, a.deviceId)}`
}

function ticketLine(t: Ticket, at: string, ctx: Ctx): string {
  const { locale } = ctx
  const status = isOverdue(t, at) ? TEXT.overdue[locale] : TICKET_STATUS_LABELS[t.status][locale]
  return `${tag(TEXT.ticket[locale], locale)}${ticketSubject(ctx, t)} · ${status} · ${TEXT.dueAt[locale]} ${formatLocalTime(t.dueAt, ctx.timeZone)}`
}

/** As the report counts it: due by the time it was made. */
function isOverdue(t: Ticket, at: string): boolean {
  return Date.parse(t.dueAt) <= Date.parse(at)
}
