import type { Intent } from '../gateway/core/intent.js'
import { fireChecklist } from './checklists/fire.js'
import type { Rule, RuleView } from './rule.js'

/** The condition key: one fire alarm per zone, so a second detector updates it (SPEC §5). */
export const fireKey = (zone: string): string => `fire:${zone}`

/**
 * SPEC §5 fire: any smoke detector in alarm → `fire` critical, latching, within
 * 1 s. The alarm stays until staff reset it; the condition clears only when no
 * detector in the zone still sees smoke.
 */
export const fireRule: Rule = {
  id: 'fire',
  watches: ['smoke'],
  onReading(reading, view): readonly Intent[] {
    if (reading.metric !== 'smoke') return []
    const key = fireKey(reading.zone)
    if (reading.value === true) {
      const device = view.device(reading.deviceId)
      const name = device?.name ?? reading.deviceId
      return [
        {
          type: 'raise',
          key,
          kind: 'fire',
          severity: 'critical',
          latching: true,
          silent: false,
          deviceId: reading.deviceId,
          zone: reading.zone,
          messages: {
            'zh-CN': `火警：${name}（${reading.zone} 区）检测到烟雾`,
            en: `Fire: smoke detected by ${name} in zone ${reading.zone}`,
          },
          checklist: fireChecklist,
        },
      ]
    }
    if (view.openAlarm(key) && !anySmokeIn(reading.zone, view)) return [{ type: 'clear', key }]
    return []
  },
}

function anySmokeIn(zone: string, view: RuleView): boolean {
  return view.devices({ type: 'smoke', zone }).some((d) => view.latest(d.id, 'smoke')?.value === true)
}
