import type { AlarmKind, AlarmState, LocalizedText, Severity } from '../core/alarm.js'
import type { AlarmAction, NoticeAction } from '../core/events.js'
import { FAULT_CODE_LABELS } from '../core/faultCodes.js'
import type { DeviceType } from '../core/reading.js'
import type { Role } from '../core/roles.js'
import type { TicketAction, TicketStatus } from '../core/ticket.js'

/** Store locales (config `store.locale`); zh-CN is the default. */
export type Locale = keyof LocalizedText

const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en })

/** Alarm kinds (docs/requirements.md#rules-and-alarms) as staff call them. */
export const KIND_LABELS: Readonly<Record<AlarmKind, LocalizedText>> = {
  fire: t('火警', 'Fire'),
  flood: t('水浸', 'Flood'),
  robbery: t('抢劫报警', 'Robbery alarm'),
  terminal_fault: t('自助终端故障', 'Self-service terminal fault'),
  device_fault: t('设备故障', 'Device fault'),
  power_outage: t('停电', 'Power outage'),
  system_fault: t('业务系统故障', 'Business system fault'),
  facility_fault: t('设施故障', 'Facility fault'),
  complaint_escalation: t('投诉激化', 'Escalated complaint'),
  queue_wait: t('排队超时', 'Queue wait over target'),
}

/** ITU-T X.733 perceived severities, in the words store operators use (not a literal translation). */
export const SEVERITY_LABELS: Readonly<Record<Severity, LocalizedText>> = {
  critical: t('紧急', 'Critical'),
  major: t('重要', 'Major'),
  minor: t('次要', 'Minor'),
  warning: t('提示', 'Warning'),
}

export const ALARM_ACTION_LABELS: Readonly<Record<AlarmAction, LocalizedText>> = {
  raised: t('新告警', 'raised'),
  updated: t('告警更新', 'updated'),
  cleared: t('已恢复', 'cleared'),
  acked: t('已确认', 'acknowledged'),
  reset: t('已复位', 'reset'),
  escalated: t('已升级', 'escalated'),
  shelved: t('已搁置', 'shelved'),
  unshelved: t('已解除搁置', 'unshelved'),
  chattering: t('频繁抖动，已抑制', 'chattering, suppressed'),
  settled: t('抖动已平息', 'settled'),
}

export const NOTICE_ACTION_LABELS: Readonly<Record<NoticeAction, LocalizedText>> = {
  posted: t('已发布', 'posted'),
  updated: t('已更新', 'updated'),
  withdrawn: t('已撤下', 'withdrawn'),
  expired: t('已到期', 'expired'),
}

export const TICKET_ACTION_LABELS: Readonly<Record<TicketAction, LocalizedText>> = {
  opened: t('已创建', 'opened'),
  fault_reported: t('新故障', 'fault reported'),
  terminal_healthy: t('终端已恢复', 'terminal healthy'),
  terminal_faulty: t('终端再次故障', 'terminal faulty again'),
  acked: t('已受理', 'acknowledged'),
  started: t('维修中', 'repair started'),
  resolved: t('已解决', 'resolved'),
  cancelled: t('已取消', 'cancelled'),
  reminder: t('时限提醒', 'reminder'),
  breached: t('已超时', 'overdue'),
  removal_due: t('应撤出大厅', 'removal due'),
}

export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, LocalizedText>> = {
  open: t('待受理', 'open'),
  acknowledged: t('已受理', 'acknowledged'),
  in_progress: t('维修中', 'in progress'),
  resolved: t('已解决', 'resolved'),
  cancelled: t('已取消', 'cancelled'),
}

/** ISA-18.2 alarm states, phrased for the person who has to act on them. */
export const STATE_LABELS: Readonly<Record<AlarmState, LocalizedText>> = {
  active_unacked: t('未确认', 'Unacknowledged'),
  active_acked: t('已确认', 'Acknowledged'),
  cleared_unacked: t('已恢复，未确认', 'Cleared, unacknowledged'),
  closed: t('已关闭', 'Closed'),
}

export const ROLE_LABELS: Readonly<Record<Role, LocalizedText>> = {
  viewer: t('只读', 'Viewer'),
  staff: t('营业员', 'Staff'),
  maintenance: t('维护人员', 'Maintenance'),
  manager: t('值班经理', 'Manager'),
  admin: t('管理员', 'Administrator'),
}

export const DEVICE_TYPE_LABELS: Readonly<Record<DeviceType, LocalizedText>> = {
  smoke: t('烟感', 'Smoke detector'),
  heat: t('温感', 'Heat detector'),
  water_level: t('水位', 'Water level'),
  leak: t('漏水', 'Leak sensor'),
  panic_button: t('紧急按钮', 'Panic button'),
  terminal: t('自助终端', 'Self-service terminal'),
  power: t('电源', 'Power'),
  temperature: t('温度', 'Temperature'),
  door: t('门磁', 'Door'),
  queue: t('排队机', 'Queue system'),
  business_system: t('业务系统', 'Business system'),
  siren: t('声光报警器', 'Siren'),
  strobe: t('闪灯', 'Strobe'),
  printer: t('自助打印机', 'Self-service printer'),
  signage_screen: t('信息屏', 'Signage screen'),
  air_conditioner: t('空调', 'Air conditioner'),
  complaint_button: t('投诉求助按钮', 'Complaint button'),
}

export { FAULT_CODE_LABELS }

/** A device's line on the console: in alarm beats fault beats offline-free ok (docs/requirements.md#console). */
export const DEVICE_STATE_LABELS = {
  alarm: t('报警', 'Alarm'),
  fault: t('故障', 'Fault'),
  ok: t('正常', 'OK'),
  offline: t('离线', 'Offline'),
} as const satisfies Record<string, LocalizedText>

/** What an acknowledged latching alarm still waits for, by the type of the device that raised it. */
export const CONDITION_LABELS: Readonly<Partial<Record<DeviceType, LocalizedText>>> = {
  smoke: t('烟雾仍在', 'smoke still present'),
  heat: t('温度仍高', 'heat still present'),
  water_level: t('水位仍高', 'water still high'),
  leak: t('仍在漏水', 'leak still present'),
  panic_button: t('紧急按钮仍按下', 'panic button still pressed'),
  power: t('仍在停电', 'power still out'),
  terminal: t('终端仍故障', 'terminal still faulty'),
  business_system: t('业务系统仍故障', 'business system still down'),
}

/** The reading on the console's device line (each type's first metric); a metric not listed shows its id. */
export const METRIC_LABELS: Readonly<Record<string, LocalizedText>> = {
  smoke: t('烟雾', 'Smoke'),
  smoke_density: t('烟浓度', 'Smoke density'),
  temperature: t('温度', 'Temperature'),
  heat_alarm: t('温感报警', 'Heat alarm'),
  humidity: t('湿度', 'Humidity'),
  level_cm: t('水位', 'Water level'),
  water_leak: t('漏水', 'Leak'),
  mains_ok: t('市电', 'Mains power'),
  battery_pct: t('UPS 电量', 'UPS battery'),
  pressed: t('按下', 'Pressed'),
  contact: t('门已关', 'Closed'),
  status: t('状态', 'Status'),
  fault_codes: t('故障码', 'Fault codes'),
}

/** Field names, headings and fixed phrases. */
export const TEXT = {
  store: t('门店', 'Store'),
  severity: t('级别', 'Severity'),
  kind: t('类型', 'Kind'),
  zone: t('区域', 'Zone'),
  device: t('设备', 'Device'),
  raisedAt: t('发生时间', 'Raised at'),
  at: t('事件时间', 'At'),
  by: t('处理人', 'By'),
  escalationLevel: t('升级次数', 'Escalation level'),
  shelvedUntil: t('搁置至', 'Shelved until'),
  reason: t('原因', 'Reason'),
  note: t('备注', 'Note'),
  checklist: t('处置步骤', 'What to do'),
  console: t('打开值班台', 'Open the staff console'),
  confidentialTag: t('【保密】', '[CONFIDENTIAL] '),
  // Robbery (docs/requirements.md#robbery): silent — security staff only, never shown or announced to customers.
  confidentialNote: t(
    '保密：静默报警，仅限安保人员处置；请勿在顾客可见的屏幕、广播或语音设备上显示或播报。',
    'Confidential: silent alarm for security staff only; do not show or announce it on any customer-facing screen, speaker or voice device.',
  ),
  customerNotice: t('顾客公告', 'Customer notice'),
  staffNotice: t('员工通知', 'Staff notice'),
  startsAt: t('开始', 'From'),
  endsAt: t('结束', 'Until'),
  ticket: t('报修单', 'Repair ticket'),
  faultCodes: t('故障码', 'Fault codes'),
  status: t('状态', 'Status'),
  dueAt: t('修复时限', 'Due'),
  assignee: t('负责人', 'Assignee'),
  slaUsed: t('已用时限', 'SLA used'),
  removalDueAt: t('撤出期限', 'Remove by'),
  alarmFlood: t('告警泛滥', 'Alarm flood'),
  floodStarted: t('开始', 'started'),
  floodEnded: t('结束', 'ended'),
  byKind: t('按类型', 'By kind'),
  stillUnacked: t('仍未确认', 'still unacknowledged'),
  unackedFor: t('未确认时长', 'Unacknowledged for'),
  preOpening: t('营业前检查', 'Pre-opening check'),
  openingAt: t('开门时间', 'Opening at'),
  lateReport: t('补发：报告生成晚于计划时间', 'Late: made after its planned time'),
  toCheck: t('开门前请检查', 'Check before opening'),
  allClear: t('设备正常，无未处理告警和报修单', 'All devices healthy, no open alarms or tickets'),
  overdue: t('已超时', 'overdue'),
  yes: t('是', 'yes'),
  no: t('否', 'no'),
  resetWaits: t('复位前须等待', 'Reset waits until'),
  conditionActive: t('报警条件仍在', 'the condition is still active'),
  managerReset: t('须由值班经理复位', 'A manager must reset this alarm'),
  closesItself: t('条件消除后自动关闭', 'Closes by itself once the condition has gone'),
  reading: t('读数', 'Reading'),
} as const satisfies Record<string, LocalizedText>

/** `【标签】` in Chinese, `[Label]` in English. */
export function tag(label: string, locale: Locale): string {
  return locale === 'zh-CN' ? `【${label}】` : `[${label}] `
}

/** `标签：值` in Chinese (full-width colon), `Label: value` in English. */
export function colon(locale: Locale): string {
  return locale === 'zh-CN' ? '：' : ': '
}
