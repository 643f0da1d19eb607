import type { Reading } from '../gateway/core/reading.js'
import type { RejectReason } from './decoders/decodeResult.js'

/** STYLE §3: a transport that turns a wire into Readings and reconnects by itself. */
export interface DeviceAdapter {
  /** e.g. `mqtt`, `modbus_rtu:/dev/ttyUSB0` */
  readonly name: string
  start(): Promise<void>
  stop(): Promise<void>
}

/** How adapters report. Synchronous and never throws into the adapter (STYLE §1.3). */
export interface AdapterOutput {
  reading(reading: Reading): void
  rejected(
    reason: RejectReason,
    detail: { readonly topic?: string; readonly deviceId?: string; readonly detail: string },
  ): void
}

/** An MQTT message stream: the embedded broker in-process, or a client of an external one. */
export interface MqttMessageSource {
  subscribe(filters: readonly string[], handler: (topic: string, payload: Buffer) => void): Promise<void>
  unsubscribe(filters: readonly string[]): Promise<void>
}
