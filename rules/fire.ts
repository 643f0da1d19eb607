import { type Static, Type as T } from '@sinclair/typebox'
import type { LocalizedText } from '../gateway/core/alarm.js'
import type { Intent } from '../gateway/core/intent.js'
import type { Reading } from '../gateway/core/reading.js'
import { createRiseRate } from './riseRate.js'
import { enabled, type Rule, type RuleView } from './rule.js'

/** The condition key: one fire alarm per zone, so a second detector updates it (docs/requirements.md#fire). */
export const fireKey = (zone: string): string => `fire:${zone}`

/** Rate of rise is judged over the last minute, once readings span 10 s. */
const RISE_WINDOW_MS = 60_000
const RISE_MIN_SPAN_MS = 10_000

/** The fire rule's section of `rules` in the config file. */
export const FireSettings = T.Object(
  {
    enabled,
    heatAlarmC: T.Number({ default: 57, description: 'fixed heat threshold, °C (EN 54-5 class A1 ~ 54-65 °C)' }),
    heatRiseCPerMin: T.Number({ default: 8, exclusiveMinimum: 0, description: 'rate-of-rise threshold, °C/min' }),
    confirmWindowSec: T.Number({
      default: 120,
      exclusiveMinimum: 0,
      description: 'two detectors within this → confirmed fire',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type FireSettings = Static<typeof FireSettings>

/**
 * Fire (docs/requirements.md#fire): any smoke detector in alarm, or heat at or above the fixed
 * threshold, or heat rising fast → `fire` critical, latching, within one
 * reading. Two detectors (or smoke + heat) within `confirmWindowSec` →
 * "confirmed fire", escalated. The condition clears only when no detector in
 * the zone is in alarm; the alarm itself waits for a staff reset.
 */
export function createFireRule(settings: FireSettings): Rule {
  /** When each detector last went into alarm (ms); kept after it clears, for confirmation. */
  const alarmedAt = new Map<string, number>()
  const inAlarm = new Set<string>()
  const rise = createRiseRate({ windowMs: RISE_WINDOW_MS, minSpanMs: RISE_MIN_SPAN_MS })

  function heatCause(reading: Reading, name: string): LocalizedText | null {
    if (reading.metric === 'heat_alarm') {
      return reading.value === true ? { 'zh-CN': `${name} 报温感火警`, en: `${name} reports a heat alarm` } : null
    }
    if (reading.metric !== 'temperature' || typeof reading.value !== 'number') return null
    const t = reading.value
    rise.add(reading.deviceId, reading.ts, t)
    const ratePerMin = rise.rate(reading.deviceId, reading.ts)
    if (t >= settings.heatAlarmC) {
      return {
        'zh-CN': `${name} 温度 ${t} °C（≥ ${settings.heatAlarmC} °C）`,
        en: `${name} reads ${t} °C (≥ ${settings.heatAlarmC} °C)`,
      }
    }
    if (ratePerMin !== null && ratePerMin >= settings.heatRiseCPerMin) {
      const r = ratePerMin.toFixed(1)
      return { 'zh-CN': `${name} 温度每分钟上升 ${r} °C`, en: `${name} temperature rising ${r} °C/min` }
    }
    return null
  }

  function cause(reading: Reading, view: RuleView): LocalizedText | null | 'ignore' {
    const name = view.device(reading.deviceId)?.name ?? reading.deviceId
    if (reading.deviceType === 'smoke') {
      if (reading.metric !== 'smoke') return 'ignore'
      return reading.value === true ? { 'zh-CN': `${name} 检测到烟雾`, en: `smoke detected by ${name}` } : null
    }
    if (reading.metric !== 'temperature' && reading.metric !== 'heat_alarm') return 'ignore'
    return heatCause(reading, name)
  }

  function confirmation(deviceId: string, now: number, view: RuleView): Intent[] {
    const windowMs = settings.confirmWindowSec * 1000
    const partners = [...alarmedAt].filter(([id, at]) => id !== deviceId && now - at <= windowMs).map(([id]) => id)
    if (partners.length === 0) return []
    const detectors = [deviceId, ...partners]
    const names = detectors.map((id) => view.device(id)?.name ?? id).join(', ')
    const zones = new Set(detectors.map((id) => view.device(id)?.zone).filter((z): z is string => z !== undefined))
    return [...zones]
      .filter((zone) => (view.openAlarm(fireKey(zone))?.escalationLevel ?? 0) < 1)
      .map((zone) => ({
        type: 'escalate' as const,
        key: fireKey(zone),
        level: 1,
        messages: {
          'zh-CN': `确认火警：${detectors.length} 个探测器（${names}）在 ${settings.confirmWindowSec} 秒内报警`,
          en: `Confirmed fire: ${detectors.length} detectors (${names}) in alarm within ${settings.confirmWindowSec} s`,
        },
        details: { confirmed: true, detectors: detectors.join(',') },
      }))
  }

  return {
    id: 'fire',
    watches: ['smoke', 'heat'],
    onReading(reading, view): readonly Intent[] {
      const found = cause(reading, view)
      if (found === 'ignore') return []
      const key = fireKey(reading.zone)
      if (found === null) {
        inAlarm.delete(reading.deviceId)
        // the normal reading, thousands a second: look at the zone's detectors only when there is an alarm to clear
        if (!view.openAlarm(key)) return []
        const zoneQuiet = !view.devices({ zone: reading.zone }).some((d) => inAlarm.has(d.id))
        return zoneQuiet ? [{ type: 'clear', key }] : []
      }
      const isNew = !inAlarm.has(reading.deviceId)
      inAlarm.add(reading.deviceId)
      if (isNew) alarmedAt.set(reading.deviceId, reading.ts)
      const where = view.zoneName(reading.zone)
      const raise: Intent = {
        type: 'raise',
        key,
        kind: 'fire',
        severity: 'critical',
        latching: true,
        silent: false,
        shelvable: false,
        deviceId: reading.deviceId,
        zone: reading.zone,
        messages: {
          'zh-CN': `火警：${found['zh-CN']}（${where['zh-CN']}）`,
          en: `Fire: ${found.en} in ${where.en}`,
        },
        checklist: view.texts.checklist('fire.checklist'),
      }
      // an already-open alarm keeps its first message: the first detector is what staff look for
      const intents: Intent[] = view.openAlarm(key) && !isNew ? [] : [raise]
      if (isNew) intents.push(...confirmation(reading.deviceId, reading.ts, view))
      return intents
    },
  }
}
