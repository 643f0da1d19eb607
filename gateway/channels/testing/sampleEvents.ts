import type { Alarm } from '../../core/alarm.js'
import type { AlarmEvent, AlarmFloodEvent, NoticeEvent, ReportEvent, TicketEvent } from '../../core/events.js'
import type { Notice } from '../../core/notice.js'
import type { PreOpeningReport, Ticket } from '../../core/ticket.js'

/** 2024-05-01 10:00:00 in Asia/Shanghai. */
export const RAISED_AT = '2024-05-01T02:00:00.000Z'

export function sampleAlarm(over: Partial<Alarm> = {}): Alarm {
  return {
    id: 'a-1',
    key: 'fire:smoke-1',
    kind: 'fire',
    severity: 'critical',
    state: 'active_unacked',
    conditionActive: true,
    latching: true,
    silent: false,
    deviceId: 'smoke-1',
    zone: 'hall',
    message: '营业厅烟感报警',
    messages: { 'zh-CN': '营业厅烟感报警', en: 'Smoke detected in the hall' },
    checklist: {
      'zh-CN': ['立即拨打 119', '组织顾客疏散'],
      en: ['Call 119 at once', 'Evacuate customers'],
    },
    raisedAt: RAISED_AT,
    updatedAt: RAISED_AT,
    ackedAt: null,
    ackedBy: null,
    clearedAt: null,
    resetAt: null,
    resetBy: null,
    note: null,
    details: {},
    escalationLevel: 0,
    resetRole: 'staff',
    resetNoteRequired: false,
    shelvable: false,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
    chattering: false,
    ...over,
  }
}

export function alarmEvent(over: Partial<Alarm> = {}, event: Partial<AlarmEvent> = {}): AlarmEvent {
  return { type: 'alarm', action: 'raised', alarm: sampleAlarm(over), by: 'rule:fire', at: RAISED_AT, ...event }
}

export function robberyEvent(): AlarmEvent {
  return alarmEvent(
    {
      id: 'a-2',
      key: 'robbery:panic-1',
      kind: 'robbery',
      silent: true,
      deviceId: 'panic-1',
      zone: 'counter',
      message: '柜台紧急按钮触发',
      messages: { 'zh-CN': '柜台紧急按钮触发', en: 'Panic button pressed at the counter' },
      checklist: { 'zh-CN': ['拨打 110', '避免正面冲突'], en: ['Call 110', 'Avoid confrontation'] },
      resetRole: 'manager',
      resetNoteRequired: true,
    },
    { by: 'rule:robbery' },
  )
}

export function noticeEvent(over: Partial<Notice> = {}): NoticeEvent {
  const notice: Notice = {
    id: 'n-1',
    key: 'terminal:t-1',
    audience: 'customer',
    zone: 'self-service',
    deviceId: 't-1',
    text: '本机暂停服务，我们正在尽快维修，请到柜台办理。',
    texts: {
      'zh-CN': '本机暂停服务，我们正在尽快维修，请到柜台办理。',
      en: 'This machine is out of service; we are repairing it as fast as we can. Please use the counter.',
    },
    startsAt: RAISED_AT,
    endsAt: null,
    updatedAt: RAISED_AT,
    active: true,
    ...over,
  }
  return { type: 'notice', action: 'posted', notice, by: 'rule:terminalFault', at: RAISED_AT }
}

export function ticketEvent(event: Partial<TicketEvent> = {}, over: Partial<Ticket> = {}): TicketEvent {
  const ticket: Ticket = {
    id: 'tk-1',
    deviceId: 't-1',
    deviceType: 'terminal',
    source: 'rule',
    facility: null,
    zone: 'self-service',
    faultCodes: ['E101', 'PRN_JAM'],
    alarmId: 'a-3',
    alarmKey: 'terminal_fault:t-1',
    reason: { 'zh-CN': '自助终端故障', en: 'Self-service terminal fault' },
    status: 'open',
    openedAt: RAISED_AT,
    dueAt: '2024-05-06T13:00:00.000Z',
    slaBusinessMs: 86_400_000,
    assignee: null,
    remindersSent: [],
    breachedAt: null,
    removalDueAt: '2024-05-08T02:00:00.000Z',
    removalNotifiedAt: null,
    healthySince: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    sla: null,
    updatedAt: RAISED_AT,
    history: [],
    ...over,
  }
  return { type: 'ticket', action: 'opened', ticket, by: 'rule:terminalFault', at: RAISED_AT, ...event }
}

export function floodEvent(): AlarmFloodEvent {
  return {
    type: 'alarm_flood',
    action: 'started',
    count: 12,
    windowSec: 600,
    byKind: { fire: 2, device_fault: 10 },
    at: RAISED_AT,
  }
}

/** A pre-opening report with one faulty device, a fire and a robbery alarm open, and one overdue ticket. */
export function reportEvent(over: Partial<PreOpeningReport> = {}): ReportEvent {
  const report: PreOpeningReport = {
    openingAt: '2024-05-06T01:00:00.000Z',
    generatedAt: '2024-05-06T00:30:00.000Z',
    late: false,
    summary: { devices: 3, devicesFaulty: 1, openAlarms: 2, openTickets: 1, overdueTickets: 1 },
    devices: [
      {
        id: 'leak-1',
        type: 'leak',
        zone: 'entrance',
        name: null,
        status: 'fault',
        lastSeen: null,
        faults: [{ reason: 'silent', since: RAISED_AT, message: 'no report for 2 h' }],
        values: {},
      },
      {
        id: 'smoke-1',
        type: 'smoke',
        zone: 'hall',
        name: null,
        status: 'ok',
        lastSeen: RAISED_AT,
        faults: [],
        values: {},
      },
    ],
    alarms: [sampleAlarm(), robberyEvent().alarm],
    tickets: [ticketEvent({}, { dueAt: '2024-05-06T00:00:00.000Z' }).ticket],
    ...over,
  }
  return { type: 'report', kind: 'pre_opening', report, at: report.generatedAt }
}
