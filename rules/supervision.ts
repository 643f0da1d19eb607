import { type Static, Type as T } from '@sinclair/typebox'
import type { CommStatus } from '../gateway/core/commStatus.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { DEVICE_TYPES } from '../gateway/core/reading.js'
import { type DeviceInfo, enabled, type Rule, type RuleView } from './rule.js'

export const silentKey = (deviceId: string): string => `device_fault:${deviceId}:silent`
export const commKey = (deviceId: string): string => `device_fault:${deviceId}:comm`

/** The supervision rule's section of `rules` in the config file. */
export const SupervisionSettings = T.Object(
  {
    enabled,
    silenceFactor: T.Number({
      default: 2,
      minimum: 1,
      description: 'an MQTT device is in fault after this many heartbeat intervals of silence',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type SupervisionSettings = Static<typeof SupervisionSettings>

/**
 * Supervision (docs/requirements.md#supervision): a device not heard from in time, or whose adapter
 * cannot reach it, is in fault ("trouble"), alarmed as `device_fault` apart
 * from the emergency it watches for, and out of it once heard again.
 * MQTT devices report by themselves, so silence counts for them after
 * `silenceFactor` missed heartbeats, unless zigbee2mqtt has already said the
 * device is offline (the adapter's comm status); Modbus and GPIO devices are
 * read by the gateway, so their adapters' comm status counts instead.
 */
export function createSupervisionRule(settings: SupervisionSettings): Rule {
  const silent = new Set<string>()

  function fault(
    device: DeviceInfo,
    key: string,
    reason: string,
    messages: RaiseIntent['messages'],
    view: RuleView,
  ): RaiseIntent {
    return {
      type: 'raise',
      key,
      kind: 'device_fault',
      severity: 'minor',
      latching: false,
      silent: false,
      deviceId: device.id,
      zone: device.zone,
      messages,
      checklist: view.texts.checklist('supervision.checklist'),
      details: { reason },
    }
  }

  function silenceCheck(device: DeviceInfo, view: RuleView): Intent[] {
    if (device.transport !== 'mqtt' || silent.has(device.id)) return []
    // already in fault on zigbee2mqtt's word that it is offline: one fault per gone device, not two
    if (view.comm(device.id)?.ok === false) return []
    const expectedSec = view.heartbeatSec(device.id)
    const quietMs = view.now() - (view.lastSeen(device.id) ?? view.startedAt)
    if (quietMs <= expectedSec * settings.silenceFactor * 1000) return []
    silent.add(device.id)
    const min = Math.round(quietMs / 60_000)
    const every = Math.max(1, Math.round(expectedSec / 60))
    return [
      fault(
        device,
        silentKey(device.id),
        'silent',
        {
          'zh-CN': `设备故障：${device.name} 已 ${min} 分钟无上报（应每 ${every} 分钟上报）`,
          en: `Device fault: ${device.name} has not reported for ${min} min (expected every ${every} min)`,
        },
        view,
      ),
    ]
  }

  return {
    id: 'supervision',
    watches: DEVICE_TYPES,
    onReading(reading, view): readonly Intent[] {
      if (!silent.delete(reading.deviceId) && !view.openAlarm(silentKey(reading.deviceId))?.conditionActive) return []
      return [{ type: 'clear', key: silentKey(reading.deviceId) }]
    },
    onTick(view): readonly Intent[] {
      return view.devices({}).flatMap((d) => silenceCheck(d, view))
    },
    onCommStatus(deviceId: string, status: CommStatus, view): readonly Intent[] {
      const device = view.device(deviceId)
      if (!device) return []
      if (status.ok) return [{ type: 'clear', key: commKey(deviceId) }]
      return [
        fault(
          device,
          commKey(deviceId),
          status.reason ?? 'comm',
          {
            'zh-CN': `设备故障：无法读取 ${device.name}（${status.reason}：${status.detail}）`,
            en: `Device fault: cannot read ${device.name} (${status.reason}: ${status.detail})`,
          },
          view,
        ),
      ]
    },
  }
}
