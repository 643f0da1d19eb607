import { createModbusAdapter } from '../../devices/modbus/modbusAdapter.js'
import type { ModbusBusConfig } from '../../devices/modbus/modbusSchema.js'
import type { SimDeviceSpec } from '../../devices/modbus/sim/registerTable.js'
import type { ModbusSimulator } from '../../devices/modbus/sim/simControls.js'
import { systemClock } from '../../gateway/core/clock.js'
import { createLogger } from '../../gateway/log.js'
import type { AdapterHarness } from './adapterContract.js'
import { modbusDevice, register } from './modbusConfig.js'
import { createRecordingOutput, eventually } from './recordingOutput.js'

/** A float register: the one kind of Modbus value that can arrive unusable (NaN) off a healthy wire. */
const REGISTERS = [register('temperature', 'holding', 0, { type: 'float32' })]
const FLOAT32_NAN = [0x7fc0, 0x0000]

/** The server or line behind one Modbus bus, as the contract needs it. */
export interface ModbusLine {
  readonly bus: ModbusBusConfig
  /** Starts the slaves (again); `spec` holds the values they answer with. */
  start(spec: SimDeviceSpec): Promise<ModbusSimulator>
  /** Takes the server or line away, slaves included. */
  stop(): Promise<void>
  /** Whatever is left after the adapter stopped (temp dirs, ptys). */
  close(): Promise<void>
}

/** Timers alive in this process: compared before and after the adapter ran, so the adapter's own show. */
const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

/**
 * One temperature sensor behind `line`, polled fast, with a short reconnect
 * back-off. Runs on real time: the adapter's timeouts and back-off are the
 * socket's, so the contract waits for the events they produce.
 */
export async function modbusContractHarness(line: ModbusLine): Promise<AdapterHarness> {
  let temperature = 20
  const spec = (): SimDeviceSpec => ({ unitId: 1, registers: REGISTERS, initial: { temperature } })
  let sim: ModbusSimulator | null = await line.start(spec())
  const timersBefore = activeTimers()
  const output = createRecordingOutput()
  const adapter = createModbusAdapter({
    store: 'store-1',
    buses: [line.bus],
    devices: [
      modbusDevice('temp-1', 'temperature', {
        bus: line.bus.id,
        registers: REGISTERS,
        pollSec: 0.05,
        faultAfterFailures: 2,
      }),
    ],
    output,
    clock: systemClock,
    log: createLogger('silent'),
    reconnect: { initialMs: 50, maxMs: 200 },
  })
  const running = (): ModbusSimulator => {
    if (sim === null) throw new Error('the Modbus line is down')
    return sim
  }
  return {
    adapter,
    output,
    deviceId: 'temp-1',
    async produce() {
      // halves are exact in float32: the reading compares equal to what was set
      temperature += 0.5
      running().device(1).set('temperature', temperature)
      return { metric: 'temperature', value: temperature }
    },
    async sendBadInput() {
      running().device(1).setRaw('temperature', FLOAT32_NAN)
    },
    until: (condition, what) => eventually(condition, what),
    outage: {
      async stop() {
        sim = null
        await line.stop()
      },
      async restart() {
        sim = await line.start(spec())
      },
    },
    leftovers: () => Math.max(0, activeTimers() - timersBefore),
    async close() {
      if (sim !== null) await line.stop()
      sim = null
      await line.close()
    },
  }
}
