import { type Static, Type as T } from '@sinclair/typebox'
import type { Alarm, LocalizedText } from '../gateway/core/alarm.js'
import type { Intent } from '../gateway/core/intent.js'
import { createEstimatedNotices } from './recovery.js'
import { type DeviceInfo, enabled, type Rule, type RuleView } from './rule.js'

/** The condition key, one per business-system probe; the customer notice shares it. */
export const systemKey = (deviceId: string): string => `system_fault:${deviceId}`

type Cause = 'down' | 'no_heartbeat'

/** The system rule's section of `rules` in the config file. */
export const SystemSettings = T.Object(
  {
    enabled,
    reportMin: T.Number({
      default: 5,
      exclusiveMinimum: 0,
      description: 'service standard §5.3.3 (docs/requirements.md#sources): report to the duty manager within',
    }),
    clearMin: T.Number({
      default: 30,
      exclusiveMinimum: 0,
      description: 'service standard §5.3.3 (docs/requirements.md#sources): escalate if not cleared within',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type SystemSettings = Static<typeof SystemSettings>

/**
 * System (docs/requirements.md#system): the probe says the business system is down, or it has been
 * silent longer than its heartbeat → `system_fault` major, staff checklist and
 * a customer fault notice (the service standard §5.3.3, docs/requirements.md#system). Reminders escalate an alarm not
 * acknowledged within `reportMin` (level 1) or not cleared within `clearMin`
 * (level 2). Recovery clears it and withdraws the notice.
 */
export function createSystemRule(settings: SystemSettings): Rule {
  /** Probes this rule has raised, so recovery clears once; an alarm open from before a restart counts too. */
  const raised = new Set<string>()
  /** The highest reminder sent per alarm episode (by alarm id), so each goes out once even before the view shows it. */
  const reminded = new Map<string, { readonly alarmId: string; readonly level: number }>()
  /**
   * The service standard §5.3.3 (docs/requirements.md#system): 贴/挂故障通知, store-wide; it says when
   * the system is back once the centre estimates it (docs/requirements.md#network-fault).
   */
  const notices = createEstimatedNotices('system.customerNotice')

  function fault(device: DeviceInfo, cause: Cause, view: RuleView): Intent[] {
    raised.add(device.id)
    const key = systemKey(device.id)
    const heartbeatSec = view.heartbeatSec(device.id)
    const where = view.zoneName(device.zone)
    const messages: LocalizedText =
      cause === 'down'
        ? {
            'zh-CN': `业务系统故障：${where['zh-CN']} ${device.name} 报告业务系统无法使用`,
            en: `Business system fault: ${device.name} in ${where.en} reports the system is down`,
          }
        : {
            'zh-CN': `业务系统故障：${where['zh-CN']} ${device.name} 超过 ${heartbeatSec} 秒无响应`,
            en: `Business system fault: no report from ${device.name} in ${where.en} for over ${heartbeatSec} s`,
          }
    return [
      {
        type: 'raise',
        key,
        kind: 'system_fault',
        severity: 'major',
        latching: false,
        silent: false,
        deviceId: device.id,
        zone: device.zone,
        messages,
        checklist: view.texts.checklist('system.checklist'),
        details: cause === 'down' ? { cause } : { cause, heartbeatSec },
      },
      notices.notice(key, device.zone, view),
    ]
  }

  /** A new estimate from the centre for an open fault: the notice says it from this tick on. */
  function estimateChanged(device: DeviceInfo, view: RuleView): Intent[] {
    const key = systemKey(device.id)
    return notices.estimateChanged(key, view) ? [notices.notice(key, device.zone, view)] : []
  }

  /** The service standard §5.3.3 (docs/requirements.md#system): report to the duty manager within 5 min; escalate if not cleared within 30 min. */
  function reminders(device: DeviceInfo, view: RuleView): Intent[] {
    const key = systemKey(device.id)
    const alarm = view.openAlarm(key)
    if (!alarm?.conditionActive) return []
    const openMin = (view.now() - Date.parse(alarm.raisedAt)) / 60_000
    const mine = reminded.get(key)
    const sent = Math.max(alarm.escalationLevel, mine?.alarmId === alarm.id ? mine.level : 0)
    const out: Intent[] = []
    if (sent < 1 && alarm.state === 'active_unacked' && openMin >= settings.reportMin) {
      out.push(escalate(alarm, 1, device.name))
    }
    if (sent < 2 && openMin >= settings.clearMin) out.push(escalate(alarm, 2, device.name))
    const last = out.at(-1)
    if (last?.type === 'escalate') reminded.set(key, { alarmId: alarm.id, level: last.level })
    return out
  }

  function escalate(alarm: Alarm, level: 1 | 2, name: string): Intent {
    const messages: LocalizedText =
      level === 1
        ? {
            'zh-CN': `业务系统故障（${name}）${settings.reportMin} 分钟内未报告值班经理，请立即报告`,
            en: `System fault at ${name} not reported to the duty manager within ${settings.reportMin} minutes: report it now`,
          }
        : {
            'zh-CN': `业务系统故障（${name}）${settings.clearMin} 分钟内未排除，请值班经理立即上报自有厅主管部门`,
            en: `System fault at ${name} not cleared within ${settings.clearMin} minutes: escalate to the supervising department`,
          }
    const withinMin = level === 1 ? settings.reportMin : settings.clearMin
    return { type: 'escalate', key: alarm.key, level, messages, details: { withinMin } }
  }

  return {
    id: 'system',
    watches: ['business_system'],
    onReading(reading, view): readonly Intent[] {
      if (reading.metric !== 'up' && reading.metric !== 'latency_ms') return []
      const id = reading.deviceId
      const device = view.device(id) ?? {
        id,
        type: reading.deviceType,
        zone: reading.zone,
        name: id,
        transport: 'mqtt' as const,
      }
      if (view.latest(id, 'up')?.value === false) return fault(device, 'down', view)
      // any report ends a silence; up true ends a fault
      const key = systemKey(id)
      if (!raised.delete(id) && view.openAlarm(key)?.conditionActive !== true) return []
      return [
        { type: 'clear', key },
        { type: 'withdraw_notice', key },
      ]
    },
    onTick(view): readonly Intent[] {
      const out: Intent[] = []
      for (const device of view.devices({ type: 'business_system' })) {
        const silentMs = view.now() - (view.lastSeen(device.id) ?? view.startedAt)
        if (!raised.has(device.id) && silentMs > view.heartbeatSec(device.id) * 1000) {
          out.push(...fault(device, 'no_heartbeat', view))
        }
        out.push(...reminders(device, view))
        out.push(...estimateChanged(device, view))
      }
      return out
    },
  }
}
