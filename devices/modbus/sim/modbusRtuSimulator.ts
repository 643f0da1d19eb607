import { performance } from 'node:perf_hooks'
import { SerialPort } from 'serialport'
import { createRegisterTable, type SimDeviceSpec } from './registerTable.js'
import { scanRequest } from './rtuFrame.js'
import { answerRequest } from './rtuSlave.js'
import { createSimControls, type ModbusSimulator } from './simControls.js'

/**
 * Modbus RTU slaves on a serial device (simulators, docs/requirements.md#simulation: "a serial one
 * over a pty pair"): point it at one end of a socat pty pair and the adapter
 * at the other, and every byte crosses a real tty.
 *
 * modbus-serial's ServerSerial is not used: it splits frames on a 30 ms
 * silence and overwrites the request CRC instead of checking it, so it would
 * neither notice overlapping requests nor reject a corrupted frame; this
 * slave cuts frames by length and checks every CRC (rtuFrame.ts).
 */

export interface ModbusRtuSimulatorOptions {
  /** Serial device or pty path, e.g. the `link=` path of a socat pty. */
  readonly path: string
  /** Default 9600; a pty ignores it, a real adapter does not. */
  readonly baudRate?: number
  /** The slaves on this line, one per unit id. */
  readonly devices: readonly SimDeviceSpec[]
}

/** One request a slave heard, timed with performance.now() (ms). */
export interface RtuRequestRecord {
  readonly unitId: number
  readonly functionCode: number
  /** The request's first address (every supported function starts with one). */
  readonly address: number
  /** Its second field: how many bits or registers a read or FC15/16 covers; the value of an FC5/FC6 write. */
  readonly quantity: number
  /** When the whole request frame had arrived. */
  readonly receivedAt: number
  /** When the answer was handed to the port; undefined while pending, or if never answered. */
  answeredAt?: number
}

export interface ModbusRtuSimulator extends ModbusSimulator {
  /** Every request addressed to one of this line's slaves, in arrival order (for overlap checks). */
  readonly requests: readonly RtuRequestRecord[]
  /** Send answers with a broken CRC (noise on the line). */
  setCorruptCrc(on: boolean): void
}

export async function startModbusRtuSimulator(options: ModbusRtuSimulatorOptions): Promise<ModbusRtuSimulator> {
  const table = createRegisterTable(options.devices)
  const controls = createSimControls()
  const requests: RtuRequestRecord[] = []
  const timers = new Set<NodeJS.Timeout>()
  let corruptCrc = false
  let received: Buffer = Buffer.alloc(0)

  const port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 9600, autoOpen: false })
  port.on('error', () => {}) // the other end going away is the test's business, not a crash
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))

  port.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
    for (;;) {
      const scan = scanRequest(received)
      if (scan.kind === 'incomplete') return
      received = scan.rest
      if (scan.kind === 'frame') onFrame(scan.frame)
    }
  })

  function onFrame(frame: Buffer): void {
    const unitId = frame[0] ?? 0
    if (!table.hasUnit(unitId) || !controls.isOnline(unitId)) return
    const record: RtuRequestRecord = {
      unitId,
      functionCode: frame[1] ?? 0,
      address: frame.length >= 6 ? frame.readUInt16BE(2) : 0,
      quantity: frame.length >= 8 ? frame.readUInt16BE(4) : 0,
      receivedAt: performance.now(),
    }
    requests.push(record)
    const response = answerRequest(table, frame)
    if (response === undefined) return
    const send = () => {
      if (corruptCrc) response[response.length - 1] = (response[response.length - 1] ?? 0) ^ 0xff
      record.answeredAt = performance.now()
      if (port.isOpen) port.write(response)
    }
    if (controls.delayMs === 0) {
      send()
      return
    }
    const timer = setTimeout(() => {
      timers.delete(timer)
      send()
    }, controls.delayMs)
    timers.add(timer)
  }

  return {
    requests,
    device: (unitId) => table.device(unitId),
    setDelayMs: controls.setDelayMs,
    setOnline: controls.setOnline,
    setCorruptCrc(on) {
      corruptCrc = on
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      if (!port.isOpen) return
      await new Promise<void>((resolve) => port.close(() => resolve()))
    },
  }
}
