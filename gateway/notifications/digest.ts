import { KIND_LABELS, SEVERITY_LABELS, TEXT, tag } from '../channels/labels.js'
import { composeMessage, formatLocalTime, type RenderedMessage } from '../channels/message.js'
import { consoleLink, type RenderOptions } from '../channels/render.js'
import type { Alarm } from '../core/alarm.js'
import { zoneName } from '../core/zoneNames.js'
import type { GroupDigest } from './grouping.js'

/** What a webhook is handed for a digest, beside the rendered message. */
export interface AlarmGroupEvent {
  readonly type: 'alarm_group'
  readonly kind: Alarm['kind']
  readonly count: number
  /** The first alarm of the window, sent on its own when it was raised. */
  readonly firstAlarmId: string
  readonly alarms: readonly Alarm[]
  readonly at: string
}

export function alarmGroupEvent(digest: GroupDigest): AlarmGroupEvent {
  return {
    type: 'alarm_group',
    kind: digest.kind,
    count: digest.alarms.length,
    firstAlarmId: digest.first.id,
    alarms: digest.alarms,
    at: new Date(digest.windowEndMs).toISOString(),
  }
}

/**
 * One message listing the alarms of one kind held during a grouping window
 * (docs/requirements.md#rate-limits-and-grouping): one line per alarm with severity, zone, device and time. Pure.
 * Confidential when any of them is silent (robbery), like the alarm itself.
 */
export function renderDigest(digest: GroupDigest, options: RenderOptions = {}): RenderedMessage {
  const locale = options.locale ?? 'zh-CN'
  const timeZone = options.timeZone ?? 'Asia/Shanghai'
  const zh = locale === 'zh-CN'
  const kind = KIND_LABELS[digest.kind][locale]
  const n = digest.alarms.length
  const confidential = digest.alarms.some((a) => a.silent) || digest.first.silent
  const names = options.deviceNames ?? {}
  const zones = options.zoneNames ?? {}
  const lines = digest.alarms.map((a) => {
    const device = names[a.deviceId] ?? a.deviceId
    const time = formatLocalTime(a.raisedAt, timeZone)
    const severity = SEVERITY_LABELS[a.severity][locale]
    return {
      label: `${time} ${severity}`,
      value: `${zoneName(zones, a.zone)[locale]} · ${device} · ${a.messages[locale]}`,
    }
  })
  const facts = [
    ...(options.storeName === undefined ? [] : [{ label: TEXT.store[locale], value: options.storeName }]),
    ...lines,
  ]
  return composeMessage({
    locale,
    title: `${confidential ? TEXT.confidentialTag[locale] : ''}${tag(kind, locale)}${zh ? `又有 ${n} 条新告警` : `${n} more alarm${n === 1 ? '' : 's'} raised`}`,
    summary: zh
      ? `${formatLocalTime(new Date(digest.windowStartMs).toISOString(), timeZone)} 起同类告警已合并为一条消息`
      : `Alarms of this kind since ${formatLocalTime(new Date(digest.windowStartMs).toISOString(), timeZone)}, in one message`,
    facts,
    checklistTitle: TEXT.checklist[locale],
    checklist: [],
    notes: confidential ? [TEXT.confidentialNote[locale]] : [],
    link:
      options.consoleUrl === undefined
        ? null
        : { label: TEXT.console[locale], url: consoleLink(options.consoleUrl, 'alarms') },
    confidential,
    shortFacts: [
      ...(options.storeName === undefined ? [] : [options.storeName]),
      ...[...new Set(digest.alarms.map((a) => zoneName(zones, a.zone)[locale]))],
    ],
  })
}
