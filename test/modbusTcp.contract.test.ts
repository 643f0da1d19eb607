import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import { describeAdapterContract } from './support/adapterContract.js'
import { freePort } from './support/freePort.js'
import { tcpBus } from './support/modbusConfig.js'
import { modbusContractHarness } from './support/modbusContractHarness.js'

describeAdapterContract('Modbus TCP (modbus-serial ServerTCP on loopback)', async () => {
  const port = await freePort()
  let server: ModbusTcpSimulator | null = null
  return modbusContractHarness({
    bus: tcpBus('tcp-a', port),
    async start(spec) {
      // a stopped server listens again on its port with its values; the first start makes it
      if (server === null) server = await startModbusTcpSimulator({ port, devices: [spec] })
      else await server.start()
      return server
    },
    async stop() {
      await server?.stop()
    },
    async close() {},
  })
})
