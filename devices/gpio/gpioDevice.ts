import type { GpioDeviceConfig } from '../../gateway/config/gpioSchema.js'
import type { DeviceConfig } from '../../gateway/config/schema.js'
import type { CommStatus } from '../adapter.js'

/** A configured device read or driven over GPIO. */
export type GpioDevice = DeviceConfig & { readonly gpio: GpioDeviceConfig }

export function isGpioDevice(device: DeviceConfig): device is GpioDevice {
  return device.gpio !== undefined
}

export const COMM_OK: CommStatus = { ok: true, reason: null, detail: '' }

export function gpioUnavailableStatus(detail: string): CommStatus {
  return { ok: false, reason: 'gpio_unavailable', detail }
}
