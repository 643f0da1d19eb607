import type { RuleSettings } from '../gateway/config/schema.js'
import type { AlarmDetails, LocalizedText } from '../gateway/core/alarm.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { DEVICE_TYPES, type DeviceType, type Reading } from '../gateway/core/reading.js'
import { deviceChecklist } from './checklists/device.js'
import type { Rule, RuleView } from './rule.js'

export type DeviceFault = 'tamper' | 'battery'

/** One alarm per device and kind of trouble, apart from the emergency the device watches for. */
export const deviceFaultKey = (deviceId: string, fault: DeviceFault): string => `device_fault:${deviceId}:${fault}`

/** Every device that reports readings; sirens and strobes are outputs. */
export const DEVICE_HEALTH_WATCHES: readonly DeviceType[] = DEVICE_TYPES.filter((t) => t !== 'siren' && t !== 'strobe')

/**
 * SPEC §4 Supervision, §5 device fault: a device reporting tamper or a low
 * battery is in fault ("trouble") → `device_fault` minor, non-latching, shown
 * apart from the emergency it watches for, as fire panels do. It clears when
 * the device says it is fine again. Tamper on a panic button is a fault here,
 * never a robbery. (Missed heartbeats are supervised elsewhere.)
 */
export function createDeviceHealthRule(settings: RuleSettings['deviceHealth']): Rule {
  /** zigbee2mqtt's own flag, or the charge under the configured threshold (%). */
  const batteryLow = (deviceId: string, view: RuleView): boolean => {
    const pct = view.latest(deviceId, 'battery')?.value
    return (
      view.latest(deviceId, 'battery_low')?.value === true || (typeof pct === 'number' && pct < settings.lowBatteryPct)
    )
  }
  return {
    id: 'deviceHealth',
    watches: DEVICE_HEALTH_WATCHES,
    onReading(reading, view): readonly Intent[] {
      if (reading.metric === 'tamper') {
        if (typeof reading.value !== 'boolean') return []
        return evaluate(reading, 'tamper', reading.value, view)
      }
      if (reading.metric === 'battery' || reading.metric === 'battery_low') {
        return evaluate(reading, 'battery', batteryLow(reading.deviceId, view), view)
      }
      return []
    },
  }
}

/** Raises once while the fault lasts (repeats would only rewrite the journal), clears when it is gone. */
function evaluate(reading: Reading, fault: DeviceFault, present: boolean, view: RuleView): readonly Intent[] {
  const key = deviceFaultKey(reading.deviceId, fault)
  const alarm = view.openAlarm(key)
  const active = alarm !== undefined && alarm.conditionActive !== false
  if (present) return active ? [] : [raise(reading, fault, view)]
  return active ? [{ type: 'clear', key }] : []
}

function raise(reading: Reading, fault: DeviceFault, view: RuleView): RaiseIntent {
  const name = view.device(reading.deviceId)?.name ?? reading.deviceId
  const pct = view.latest(reading.deviceId, 'battery')?.value
  const details: AlarmDetails = typeof pct === 'number' && fault === 'battery' ? { fault, batteryPct: pct } : { fault }
  return {
    type: 'raise',
    key: deviceFaultKey(reading.deviceId, fault),
    kind: 'device_fault',
    severity: 'minor',
    latching: false,
    // A tampered panic button may be the robbers at work: tell staff, never the room.
    silent: reading.deviceType === 'panic_button',
    deviceId: reading.deviceId,
    zone: reading.zone,
    messages: faultMessages(name, reading.zone, fault, typeof pct === 'number' ? pct : undefined),
    checklist: deviceChecklist,
    details,
  }
}

function faultMessages(name: string, zone: string, fault: DeviceFault, pct: number | undefined): LocalizedText {
  if (fault === 'tamper') {
    return {
      'zh-CN': `设备防拆报警：${name}（${zone} 区）外壳被打开或设备被移动`,
      en: `Device tamper: ${name} in zone ${zone}: cover opened or device moved`,
    }
  }
  return {
    'zh-CN': `设备电池电量低：${name}（${zone} 区）${pct === undefined ? '' : `剩余 ${pct}%，`}请更换电池`,
    en: `Low battery: ${name} in zone ${zone}${pct === undefined ? '' : ` (${pct} %)`}, replace the battery`,
  }
}
