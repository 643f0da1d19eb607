import { type Static, Type as T } from '@sinclair/typebox'
import type { AlarmDetails, LocalizedText } from '../gateway/core/alarm.js'
import type { Intent } from '../gateway/core/intent.js'
import { createEstimatedNotices } from './recovery.js'
import { enabled, type Rule, type RuleView } from './rule.js'

/** The condition key, one per power monitor / UPS; the customer notice shares it. */
export const powerKey = (deviceId: string): string => `power_outage:${deviceId}`

const POWER_METRICS: ReadonlySet<string> = new Set(['mains_ok', 'on_battery', 'battery_pct', 'runtime_min'])

/** What the monitor last said; a UPS may report only some of it. */
interface PowerState {
  readonly mainsOk: boolean | undefined
  readonly onBattery: boolean | undefined
  readonly batteryPct: number | undefined
  readonly runtimeMin: number | undefined
}

/** The power rule's section of `rules` in the config file: it has no settings but `enabled`. */
export const PowerSettings = T.Object({ enabled }, { additionalProperties: false, default: {} })
export type PowerSettings = Static<typeof PowerSettings>

/**
 * Power (docs/requirements.md#power): mains lost or the UPS on battery → `power_outage` major, with
 * the service standard §5.3.3 (docs/requirements.md#power) power-cut checklist and a customer notice; mains back
 * and off battery → clear, notice withdrawn.
 */
export function createPowerRule(_settings: PowerSettings): Rule {
  /** Monitors this rule has raised, so recovery clears once; an alarm open from before a restart counts too. */
  const raised = new Set<string>()
  /**
   * The service standard §5.3.3 (docs/requirements.md#power): hang a notice and guide customers to other
   * channels; it says when power is back once the centre estimates it (docs/requirements.md#network-fault).
   */
  const notices = createEstimatedNotices('power.customerNotice')

  return {
    id: 'power',
    watches: ['power'],
    onReading(reading, view): readonly Intent[] {
      if (!POWER_METRICS.has(reading.metric)) return []
      const id = reading.deviceId
      const key = powerKey(id)
      const state = stateOf(id, view)
      if (state.mainsOk === false || state.onBattery === true) {
        raised.add(id)
        const name = view.device(id)?.name ?? id
        return [
          {
            type: 'raise',
            key,
            kind: 'power_outage',
            severity: 'major',
            latching: false,
            silent: false,
            deviceId: id,
            zone: reading.zone,
            messages: describe(name, view.zoneName(reading.zone), state),
            checklist: view.texts.checklist('power.checklist'),
            details: detailsOf(state),
          },
          notices.notice(key, reading.zone, view),
        ]
      }
      const wasRaised = raised.delete(id)
      if (!wasRaised && view.openAlarm(key)?.conditionActive !== true) return []
      return [
        { type: 'clear', key },
        { type: 'withdraw_notice', key },
      ]
    },
    /** A new estimate from the centre for an open power cut: the notice says it from this tick on. */
    onTick(view): readonly Intent[] {
      const out: Intent[] = []
      for (const device of view.devices({ type: 'power' })) {
        const key = powerKey(device.id)
        if (notices.estimateChanged(key, view)) out.push(notices.notice(key, device.zone, view))
      }
      return out
    },
  }
}

function stateOf(deviceId: string, view: RuleView): PowerState {
  const bool = (metric: string) => {
    const v = view.latest(deviceId, metric)?.value
    return typeof v === 'boolean' ? v : undefined
  }
  const num = (metric: string) => {
    const v = view.latest(deviceId, metric)?.value
    return typeof v === 'number' ? v : undefined
  }
  return {
    mainsOk: bool('mains_ok'),
    onBattery: bool('on_battery'),
    batteryPct: num('battery_pct'),
    runtimeMin: num('runtime_min'),
  }
}

function detailsOf(s: PowerState): AlarmDetails {
  return {
    ...(s.mainsOk === undefined ? {} : { mainsOk: s.mainsOk }),
    ...(s.onBattery === undefined ? {} : { onBattery: s.onBattery }),
    ...(s.batteryPct === undefined ? {} : { batteryPct: s.batteryPct }),
    ...(s.runtimeMin === undefined ? {} : { runtimeMin: s.runtimeMin }),
  }
}

function describe(name: string, where: LocalizedText, s: PowerState): LocalizedText {
  const zh: string[] = []
  const en: string[] = []
  if (s.mainsOk === false) {
    zh.push('市电中断')
    en.push('mains power lost')
  }
  const ups: { zh: string[]; en: string[] } = { zh: [], en: [] }
  if (s.onBattery === true) {
    ups.zh.push('UPS 电池供电')
    ups.en.push('UPS on battery')
  }
  if (s.batteryPct !== undefined) {
    ups.zh.push(`电量 ${Math.round(s.batteryPct)}%`)
    ups.en.push(`battery ${Math.round(s.batteryPct)}%`)
  }
  if (s.runtimeMin !== undefined) {
    ups.zh.push(`约可运行 ${Math.round(s.runtimeMin)} 分钟`)
    ups.en.push(`about ${Math.round(s.runtimeMin)} min runtime left`)
  }
  if (ups.zh.length > 0) {
    zh.push(ups.zh.join('，'))
    en.push(ups.en.join(', '))
  }
  return {
    'zh-CN': `停电告警：${where['zh-CN']} ${name} ${zh.join('；')}`,
    en: `Power cut at ${name} in ${where.en}: ${en.join('; ')}`,
  }
}
