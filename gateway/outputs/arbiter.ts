import { createOutputPattern, type OutputPattern } from '../../devices/gpio/outputPattern.js'
import { systemTimers, type Timers } from '../../devices/gpio/timers.js'
import type { OutputCommand } from './router.js'

/** How a requester wants an output driven: steady, or pulsed `onMs` on / `offMs` off. */
export interface OutputDrive {
  readonly pulse?: { readonly onMs: number; readonly offMs: number }
}

export const STEADY: OutputDrive = {}

/** Writes one level to an output device; `quiet` for the phases of a pulse. */
export type OutputWrite = (command: OutputCommand, options?: { readonly quiet?: boolean }) => void

/**
 * Several things want the same siren or strobe: the fire annunciator, and
 * notification routes that sound a local output for their alarms (docs/requirements.md#notifications
 * §1). Each requester says per device what it wants (`request`), and the
 * device is driven by all of them together: on while anyone wants it, steady
 * when anyone wants it steady (a fire siren is never turned into a pulse by a
 * flood buzzer), else the first pulse asked for. Only changes are written;
 * pulses are timed here, so they work alike over GPIO, Modbus and MQTT.
 */
export function createOutputArbiter(write: OutputWrite, timers: Timers = systemTimers) {
  /** device → requester → drive */
  const requests = new Map<string, Map<string, OutputDrive>>()
  const driven = new Map<string, { readonly key: string; readonly pattern: OutputPattern | null }>()

  const level = (deviceId: string, on: boolean, quiet: boolean) =>
    write({ deviceId, metric: 'on', value: on }, { quiet })

  function effective(deviceId: string): OutputDrive | null {
    const wants = [...(requests.get(deviceId)?.values() ?? [])]
    if (wants.length === 0) return null
    return wants.find((w) => w.pulse === undefined) ?? (wants[0] as OutputDrive)
  }

  function apply(deviceId: string): void {
    const want = effective(deviceId)
    const key = want === null ? 'off' : want.pulse === undefined ? 'steady' : `${want.pulse.onMs}/${want.pulse.offMs}`
    const before = driven.get(deviceId)
    if (before?.key === key) return
    before?.pattern?.dispose()
    if (want === null) {
      level(deviceId, false, false)
      driven.set(deviceId, { key, pattern: null })
      return
    }
    let first = true
    const pattern = createOutputPattern({
      timers,
      drive: (on) => {
        level(deviceId, on, !first)
        first = false
      },
      ...(want.pulse === undefined ? {} : { pulseOnMs: want.pulse.onMs, pulseOffMs: want.pulse.offMs }),
    })
    driven.set(deviceId, { key, pattern })
    pattern.set(true)
  }

  return {
    /** `requester` wants `deviceId` driven so (or, with null, no longer wants it). Synchronous: GPIO edge to siren has 50 ms (docs/requirements.md#latency). */
    request(requester: string, deviceId: string, drive: OutputDrive | null): void {
      const byRequester = requests.get(deviceId) ?? new Map<string, OutputDrive>()
      if (drive === null) byRequester.delete(requester)
      else byRequester.set(requester, drive)
      requests.set(deviceId, byRequester)
      apply(deviceId)
    },

    /** Writes every device's state again: once the adapters that own the wires exist, and after a reconnect. */
    resync(): void {
      for (const deviceId of [...driven.keys()]) {
        driven.get(deviceId)?.pattern?.dispose()
        driven.delete(deviceId)
        apply(deviceId)
      }
    },

    /** Whether `deviceId` is being driven on (steady or pulsing) right now. */
    isOn: (deviceId: string) => effective(deviceId) !== null,

    /** Stops every pulse timer (the gateway is stopping; the adapters switch their outputs off). */
    stop(): void {
      for (const state of driven.values()) state.pattern?.dispose()
    },
  }
}

export type OutputArbiter = ReturnType<typeof createOutputArbiter>
