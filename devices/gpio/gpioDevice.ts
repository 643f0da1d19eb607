import type { Clock } from '../../gateway/core/clock.js'
import type { Reading } from '../../gateway/core/reading.js'
import type { CommStatus } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import type { GpioDeviceConfig } from './gpioSchema.js'
import type { Timers } from './timers.js'

/** A configured device read or driven over GPIO. */
export type GpioDevice = DeviceConfig & { readonly gpio: GpioDeviceConfig }

export function isGpioDevice(device: DeviceConfig): device is GpioDevice {
  return device.gpio !== undefined
}

export const COMM_OK: CommStatus = { ok: true, reason: null, detail: '' }

export function gpioUnavailableStatus(detail: string): CommStatus {
  return { ok: false, reason: 'gpio_unavailable', detail }
}

/** What one input or output channel needs: its device, time, and where to report. */
export interface ChannelOptions {
  readonly store: string
  readonly device: GpioDevice
  readonly clock: Clock
  readonly timers: Timers
  readonly reading: (reading: Reading) => void
  readonly comm: (status: CommStatus) => void
}
