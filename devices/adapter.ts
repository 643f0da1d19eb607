import type { CommStatus } from '../gateway/core/commStatus.js'
import type { Reading, ReadingValue } from '../gateway/core/reading.js'
import type { RejectReason } from './decoders/decodeResult.js'
import type { DeviceConfig } from './deviceSchema.js'

/** The contract lives in core so rules and the engine read it without importing devices/. */
export type { CommFaultReason, CommStatus } from '../gateway/core/commStatus.js'

/** docs/design.md#extension-points: a transport that turns a wire into Readings and reconnects by itself. */
export interface DeviceAdapter {
  /** e.g. `mqtt`, `modbus_rtu:/dev/ttyUSB0` */
  readonly name: string
  /** Resolves once started; from then on it reconnects by itself until stop(). */
  start(): Promise<void>
  /** Leaves no timer or subscription behind; a second call is harmless. test/support/adapterContract.ts checks both. */
  stop(): Promise<void>
  /**
   * A config reload's device list, for an adapter that can follow it while
   * running: new devices are read from now on, removed ones are refused as
   * unknown. Absent: the adapter reads the devices it started with.
   */
  reload?(devices: readonly DeviceConfig[]): Promise<void>
  /** Whether `write` drives this device (it owns the device's wire). */
  owns?(deviceId: string): boolean
  /** An output (siren, strobe, relay, coil); failures are reported through `commStatus`, never thrown. */
  write?(deviceId: string, metric: string, value: ReadingValue): Promise<void>
}

/** How adapters report. Synchronous and never throws into the adapter (docs/design.md#boundaries-never-throw). */
export interface AdapterOutput {
  reading(reading: Reading): void
  rejected(
    reason: RejectReason,
    detail: { readonly topic?: string; readonly deviceId?: string; readonly detail: string },
  ): void
  /**
   * A device's communication went bad (after the adapter's own tolerance,
   * e.g. `faultAfterFailures` polls) or came back. Called on changes only.
   */
  commStatus(deviceId: string, status: CommStatus): void
}

/** An MQTT message stream: the embedded broker in-process, or a client of an external one. */
export interface MqttMessageSource {
  subscribe(filters: readonly string[], handler: (topic: string, payload: Buffer) => void): Promise<void>
  unsubscribe(filters: readonly string[]): Promise<void>
}
