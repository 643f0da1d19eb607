import { startModbusRtuSimulator } from '../devices/modbus/sim/modbusRtuSimulator.js'
import type { ModbusSimulator } from '../devices/modbus/sim/simControls.js'
import { describeAdapterContract } from './support/adapterContract.js'
import { rtuBus } from './support/modbusConfig.js'
import { modbusContractHarness } from './support/modbusContractHarness.js'
import { type PtyPair, startPtyPair } from './support/socatPty.js'
import { tempDir } from './support/tempDir.js'

describeAdapterContract('Modbus RTU (socat pty pair)', async () => {
  const dir = tempDir('storeguard-rtu-contract-')
  let pty: PtyPair | null = null
  let slaves: ModbusSimulator | null = null
  return modbusContractHarness({
    // the A end's link path outlives the pty behind it: a USB-RS485 adapter unplugged and plugged back in
    bus: rtuBus('rs485', `${dir.path}/pty-a`),
    async start(spec) {
      pty = await startPtyPair(dir.path)
      slaves = await startModbusRtuSimulator({ path: pty.b, devices: [spec] })
      return slaves
    },
    async stop() {
      await slaves?.stop()
      await pty?.stop()
      slaves = null
      pty = null
    },
    async close() {
      dir.remove()
    },
  })
})
