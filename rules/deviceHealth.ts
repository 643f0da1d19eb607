import { type Static, Type as T } from '@sinclair/typebox'
import type { AlarmDetails, LocalizedText } from '../gateway/core/alarm.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { DEVICE_TYPES, type DeviceType, type Reading } from '../gateway/core/reading.js'
import { batteryOverridePerType, isBatteryForm, lowBattery } from './batteryLow.js'
import { enabled, type Rule, type RuleView } from './rule.js'

export type DeviceFault = 'tamper' | 'battery'

/** One alarm per device and kind of trouble, apart from the emergency the device watches for. */
export const deviceFaultKey = (deviceId: string, fault: DeviceFault): string => `device_fault:${deviceId}:${fault}`

/** Every device that reports readings; sirens and strobes are outputs. */
export const DEVICE_HEALTH_WATCHES: readonly DeviceType[] = DEVICE_TYPES.filter((t) => t !== 'siren' && t !== 'strobe')

/**
 * The device health rule's section of `rules` in the config file. The engine resolves each device's
 * thresholds from it (RuleView.batteryThresholds), so the rule itself takes no settings.
 */
export const DeviceHealthSettings = T.Object(
  {
    enabled,
    lowBatteryPct: T.Number({
      default: 15,
      minimum: 0,
      maximum: 100,
      description: 'battery charge below this (%) is a fault, for every type unless `types` says otherwise',
    }),
    types: T.Object(batteryOverridePerType, {
      additionalProperties: false,
      default: {},
      description:
        'per device type, e.g. smoke: { lowBatteryMv: 7500 } for 9 V alarms; overrides lowBatteryPct and the type default voltage',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type DeviceHealthSettings = Static<typeof DeviceHealthSettings>

/**
 * Supervision and device fault (docs/requirements.md#supervision, docs/requirements.md#device-fault): a device reporting tamper or a low
 * battery is in fault ("trouble") → `device_fault` minor, non-latching, shown
 * apart from the emergency it watches for, as fire panels do. Every way a
 * device tells its battery (charge, flag, state, voltage) is judged by
 * `lowBattery`, against thresholds resolved per device. It clears when
 * the device says it is fine again. Tamper on a panic button is a fault here,
 * never a robbery. (Missed heartbeats are supervised elsewhere.)
 */
export function createDeviceHealthRule(): Rule {
  return {
    id: 'deviceHealth',
    watches: DEVICE_HEALTH_WATCHES,
    onReading(reading, view): readonly Intent[] {
      if (reading.metric === 'tamper') {
        if (typeof reading.value !== 'boolean') return []
        return evaluate(reading, 'tamper', reading.value ? { fault: 'tamper' } : undefined, view)
      }
      if (isBatteryForm(reading.metric)) return evaluate(reading, 'battery', batteryFault(reading.deviceId, view), view)
      return []
    },
  }
}

/** Every battery form the device last reported, judged by the one judgement; the facts for the alarm if low. */
function batteryFault(deviceId: string, view: RuleView): AlarmDetails | undefined {
  const thresholds = view.batteryThresholds(deviceId)
  const low = lowBattery((form) => view.latest(deviceId, form)?.value, thresholds)
  if (low === undefined) return undefined
  const pct = view.latest(deviceId, 'battery')?.value
  const threshold = low.form === 'battery' ? thresholds.lowPct : low.form === 'voltage' ? thresholds.lowMv : undefined
  return {
    fault: 'battery',
    form: low.form,
    value: low.value,
    ...(threshold === undefined ? {} : { threshold }),
    ...(typeof pct === 'number' ? { batteryPct: pct } : {}),
  }
}

/** Raises once while the fault lasts (repeats would only rewrite the journal), clears when it is gone. */
function evaluate(
  reading: Reading,
  fault: DeviceFault,
  details: AlarmDetails | undefined,
  view: RuleView,
): readonly Intent[] {
  const key = deviceFaultKey(reading.deviceId, fault)
  const alarm = view.openAlarm(key)
  const active = alarm !== undefined && alarm.conditionActive !== false
  if (details !== undefined) return active ? [] : [raise(reading, fault, details, view)]
  return active ? [{ type: 'clear', key }] : []
}

function raise(reading: Reading, fault: DeviceFault, details: AlarmDetails, view: RuleView): RaiseIntent {
  const name = view.device(reading.deviceId)?.name ?? reading.deviceId
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
    messages: faultMessages(name, view.zoneName(reading.zone), details),
    checklist: view.texts.checklist('device.checklist'),
    details,
  }
}

function faultMessages(name: string, where: LocalizedText, details: AlarmDetails): LocalizedText {
  if (details.fault === 'tamper') {
    return {
      'zh-CN': `设备防拆报警：${name}（${where['zh-CN']}）外壳被打开或设备被移动`,
      en: `Device tamper: ${name} in ${where.en}: cover opened or device moved`,
    }
  }
  const said = batterySaid(details)
  return {
    'zh-CN': `设备电池电量低：${name}（${where['zh-CN']}）${said['zh-CN']}，请更换电池`,
    en: `Low battery: ${name} in ${where.en} (${said.en}), replace the battery`,
  }
}

/** What the device said, in the words of the form that said it. */
function batterySaid(details: AlarmDetails): LocalizedText {
  const { form, value } = details
  if (form === 'battery') return { 'zh-CN': `剩余 ${value}%`, en: `${value} %` }
  if (form === 'voltage') return { 'zh-CN': `电压 ${value} mV`, en: `${value} mV` }
  if (form === 'battery_state') return { 'zh-CN': `电池状态 ${value}`, en: `battery state ${value}` }
  return { 'zh-CN': '设备报告电池电量低', en: 'the device reports its battery low' }
}
