import { type Static, Type as T } from '@sinclair/typebox'
import type { AlarmDetails, LocalizedText } from '../gateway/core/alarm.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { Reading } from '../gateway/core/reading.js'
import type { WeatherWarning } from '../gateway/core/weather.js'
import { floodWeatherNotice } from './checklists/flood.js'
import { createRiseRate } from './riseRate.js'
import { type DeviceInfo, enabled, type Rule, type RuleView } from './rule.js'

/** The condition key: one flood alarm per zone, whichever sensors see the water (docs/requirements.md#flood). */
export const floodKey = (zone: string): string => `flood:${zone}`
/** One staff notice per warning kind: a new warning of that kind updates it, a cancellation withdraws it. */
export const weatherNoticeKey = (kind: string): string => `weather:${kind}`

type Condition = 'none' | 'major' | 'critical'
const RANK: Readonly<Record<Condition, number>> = { none: 0, major: 1, critical: 2 }

/** An open flood alarm as the rule remembers it; `quietSince` (ms) runs the hold before it clears. */
interface ZoneState {
  cond: Condition
  quietSince: number | null
}
interface LevelNow {
  readonly device: DeviceInfo
  readonly levelCm: number
  readonly cond: Condition
}
interface Rise {
  readonly riseCmPerMin: number
  readonly minutesToCritical: number
}

/** A rate needs readings spanning this much (or a tenth of the prediction window, if shorter). */
const MIN_SPAN_MS = 30_000
/** Slower than this is sensor noise, not a rising flood (cm/min). */
const MIN_RISE_CM_PER_MIN = 0.05

/** The flood rule's section of `rules` in the config file. */
export const FloodSettings = T.Object(
  {
    enabled,
    warningCm: T.Number({ default: 2, description: 'water level for a major flood alarm, cm' }),
    criticalCm: T.Number({ default: 5, description: 'water level for a critical flood alarm, cm' }),
    hysteresisCm: T.Number({
      default: 0.5,
      minimum: 0,
      description: 'a level must fall this far below a threshold to count as below it',
    }),
    clearHoldSec: T.Number({
      default: 60,
      minimum: 0,
      description: 'dry / below threshold this long before the alarm clears',
    }),
    predictWindowSec: T.Number({
      default: 300,
      exclusiveMinimum: 0,
      description: 'readings this recent give the rising rate',
    }),
    weatherKinds: T.Array(T.String(), {
      default: ['rainstorm', 'typhoon', 'flood'],
      description: 'warnings that mean: prepare flood defences',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type FloodSettings = Static<typeof FloodSettings>

/**
 * Flood (docs/requirements.md#flood): a wet leak contact or a level ≥ `warningCm` → `flood` major,
 * ≥ `criticalCm` → critical. A level counts as below a threshold only once it
 * is `hysteresisCm` under it, and the alarm clears only after the zone has been
 * dry and low for `clearHoldSec` (checked in onTick). A rising level predicts
 * the minutes to critical; rainstorm / typhoon warnings tell staff to prepare
 * (the emergency plan, docs/requirements.md#flood 水灾).
 */
export function createFloodRule(settings: FloodSettings): Rule {
  const { warningCm, criticalCm, hysteresisCm } = settings
  const zones = new Map<string, ZoneState>()
  const windowMs = settings.predictWindowSec * 1000
  const rise = createRiseRate({ windowMs, minSpanMs: Math.min(MIN_SPAN_MS, windowMs / 10) })
  const weatherKinds = new Set(settings.weatherKinds.map((k) => k.toLowerCase()))

  /** The zone's open alarm; after a restart the alarm outlives this memory, so adopt it to be able to clear it. */
  function zoneState(zone: string, view: RuleView): ZoneState | undefined {
    const known = zones.get(zone)
    if (known) return known
    const alarm = view.openAlarm(floodKey(zone))
    if (!alarm?.conditionActive) return undefined
    const adopted: ZoneState = { cond: alarm.severity === 'critical' ? 'critical' : 'major', quietSince: null }
    zones.set(zone, adopted)
    return adopted
  }

  /** Hysteresis: critical holds down to critical − h; while the alarm is open, major holds down to warning − h. */
  function classify(levelCm: number, state: ZoneState | undefined): Condition {
    if (levelCm >= criticalCm || (state?.cond === 'critical' && levelCm >= criticalCm - hysteresisCm)) return 'critical'
    if (levelCm >= warningCm || (state !== undefined && levelCm >= warningCm - hysteresisCm)) return 'major'
    return 'none'
  }

  function remember(reading: Reading): void {
    if (typeof reading.value === 'number') rise.add(reading.deviceId, reading.ts, reading.value)
  }

  /** The soonest predicted arrival at critical among the zone's level sensors, if any is rising. */
  function soonestRise(levels: readonly LevelNow[], now: number): Rise | undefined {
    let best: Rise | undefined
    for (const { device, levelCm } of levels) {
      const rate = rise.rate(device.id, now)
      if (rate === null || rate <= MIN_RISE_CM_PER_MIN) continue
      const minutesToCritical = (criticalCm - levelCm) / rate
      if (!best || minutesToCritical < best.minutesToCritical) best = { riseCmPerMin: rate, minutesToCritical }
    }
    return best
  }

  function raise(
    reading: Reading,
    view: RuleView,
    cond: Condition,
    levels: LevelNow[],
    wet: DeviceInfo[],
  ): RaiseIntent {
    const zone = reading.zone
    const top = levels.filter((l) => l.cond !== 'none').sort((a, b) => b.levelCm - a.levelCm)[0]
    const leak = wet[0]
    // only a major alarm predicts: every level in the zone is then below critical
    const rise = cond === 'major' ? soonestRise(levels, view.now()) : undefined
    const highest = Math.max(...levels.map((l) => l.levelCm))
    const details: AlarmDetails = {
      warningCm,
      criticalCm,
      leak: wet.length > 0,
      ...(levels.length > 0 ? { levelCm: round(highest, 1) } : {}),
      ...(rise
        ? { riseCmPerMin: round(rise.riseCmPerMin, 2), minutesToCritical: round(rise.minutesToCritical, 1) }
        : {}),
    }
    return {
      type: 'raise',
      key: floodKey(zone),
      kind: 'flood',
      severity: cond === 'critical' ? 'critical' : 'major',
      latching: false,
      silent: false,
      deviceId: top?.device.id ?? leak?.id ?? reading.deviceId,
      zone,
      messages: describe(view.zoneName(zone), top, leak, rise),
      checklist: view.texts.checklist('flood.checklist'),
      details,
    }
  }

  function describe(
    where: LocalizedText,
    top: LevelNow | undefined,
    leak: DeviceInfo | undefined,
    rise: Rise | undefined,
  ): LocalizedText {
    const zh: string[] = []
    const en: string[] = []
    if (top) {
      const cm = round(top.levelCm, 1)
      zh.push(`${where['zh-CN']} ${top.device.name} 水位 ${cm} 厘米（预警 ${warningCm} 厘米，危险 ${criticalCm} 厘米）`)
      en.push(
        `water level ${cm} cm at ${top.device.name} in ${where.en} (warning ${warningCm} cm, critical ${criticalCm} cm)`,
      )
    }
    if (leak) {
      zh.push(`${where['zh-CN']} ${leak.name} 检测到漏水`)
      en.push(`water detected by ${leak.name} in ${where.en}`)
    }
    if (rise) {
      const rate = round(rise.riseCmPerMin, rise.riseCmPerMin < 0.1 ? 2 : 1)
      const min = Math.max(1, Math.round(rise.minutesToCritical))
      zh.push(`水位每分钟上涨 ${rate} 厘米，约 ${min} 分钟后达到危险水位`)
      en.push(`rising ${rate} cm/min, critical in about ${min} min`)
    }
    return { 'zh-CN': `水浸告警：${zh.join('，')}`, en: `Flood: ${en.join('; ')}` }
  }

  return {
    id: 'flood',
    watches: ['leak', 'water_level'],
    onReading(reading, view): readonly Intent[] {
      const isLevel = reading.deviceType === 'water_level' && reading.metric === 'level_cm'
      const isLeak = reading.deviceType === 'leak' && reading.metric === 'water_leak'
      if (!isLevel && !isLeak) return []
      if (isLevel) remember(reading)
      const zone = reading.zone
      const state = zoneState(zone, view)
      const wet = view.devices({ type: 'leak', zone }).filter((d) => view.latest(d.id, 'water_leak')?.value === true)
      const levels = view.devices({ type: 'water_level', zone }).flatMap((device): LevelNow[] => {
        const levelCm = view.latest(device.id, 'level_cm')?.value
        return typeof levelCm === 'number' ? [{ device, levelCm, cond: classify(levelCm, state) }] : []
      })
      const cond = worst([...levels.map((l) => l.cond), wet.length > 0 ? 'major' : 'none'])
      if (cond !== 'none') {
        // any wet or high reading (re)starts the hold from scratch
        zones.set(zone, { cond, quietSince: null })
        return [raise(reading, view, cond, levels, wet)]
      }
      if (state && state.quietSince === null) zones.set(zone, { cond, quietSince: view.now() })
      return []
    },
    onTick(view): readonly Intent[] {
      const out: Intent[] = []
      for (const [zone, state] of zones) {
        if (state.quietSince === null || view.now() - state.quietSince < settings.clearHoldSec * 1000) continue
        zones.delete(zone)
        out.push({ type: 'clear', key: floodKey(zone) })
      }
      return out
    },
    onWeather(warning: WeatherWarning): readonly Intent[] {
      const kind = warning.kind.toLowerCase()
      if (!weatherKinds.has(kind)) return []
      const key = weatherNoticeKey(kind)
      if (warning.cancelled) return [{ type: 'withdraw_notice', key }]
      // the emergency plan (docs/requirements.md#flood) 水灾 (2)–(4): staff prepare; customers are never told about the weather
      const texts = floodWeatherNotice(kind, warning.level, warning.text)
      return [{ type: 'notice', key, audience: 'staff', zone: null, deviceId: null, texts, endsAt: warning.validUntil }]
    },
  }
}

function worst(conditions: readonly Condition[]): Condition {
  return conditions.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'none')
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
