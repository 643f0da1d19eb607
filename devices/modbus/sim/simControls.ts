import type { SimDevice } from './registerTable.js'

/** What a test or the demo can do to a simulated Modbus bus, TCP or RTU alike. */
export interface ModbusSimulator {
  /** The simulated device with this unit id (throws for an unknown one). */
  device(unitId: number): SimDevice
  /** Answer every request this many ms late (a slow device, or one beyond the adapter's timeout). Default 0. */
  setDelayMs(ms: number): void
  /** An offline unit hears nothing and answers nothing, like a device with its power or A/B wires cut. */
  setOnline(unitId: number, online: boolean): void
  /** Closes the port or server; resolves once it is closed. */
  stop(): Promise<void>
}

/** The delay and online flags both simulators share. */
export function createSimControls() {
  let delayMs = 0
  const offline = new Set<number>()
  return {
    get delayMs() {
      return delayMs
    },
    setDelayMs(ms: number) {
      delayMs = Math.max(0, ms)
    },
    isOnline: (unitId: number) => !offline.has(unitId),
    setOnline(unitId: number, online: boolean) {
      if (online) offline.delete(unitId)
      else offline.add(unitId)
    },
  }
}
