import type { CommStatus } from '../../gateway/core/commStatus.js'
import type { DeviceConfig } from '../deviceSchema.js'

/**
 * zigbee2mqtt's word on a device it bridges, published retained on
 * `<device topic>/availability` once its availability check is on: `online`
 * / `offline` (the legacy payload) or `{"state":"online"}` (the default from
 * zigbee2mqtt 2.0). An MQTT device cannot otherwise be told apart from a
 * quiet one, so this is the one prompt sign that it stopped answering
 * (docs/requirements.md#supervision); the silence check stays the net under it.
 * Anything else is not a statement about the device: null.
 */
export function parseAvailability(payload: Buffer): CommStatus | null {
  const state = availabilityState(payload.toString('utf8').trim())
  if (state === 'online') return { ok: true, reason: null, detail: '' }
  if (state === 'offline') return { ok: false, reason: 'connection_lost', detail: 'zigbee2mqtt reports it offline' }
  return null
}

function availabilityState(text: string): string | null {
  if (!text.startsWith('{')) return text.toLowerCase()
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null) return null
    const state = (parsed as { state?: unknown }).state
    return typeof state === 'string' ? state.toLowerCase() : null
  } catch {
    return null
  }
}

/** The availability topic of each device that reads through zigbee2mqtt under its own topic. */
export function availabilityTopics(devices: readonly DeviceConfig[]): Map<string, DeviceConfig> {
  return new Map(
    devices.flatMap((d) =>
      d.mqtt.topic === undefined || (d.mqtt.format ?? 'zigbee2mqtt') !== 'zigbee2mqtt'
        ? []
        : [[`${d.mqtt.topic}/availability`, d] as const],
    ),
  )
}
