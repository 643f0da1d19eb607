import { createSimulator } from '../../devices/sim/simulator.js'
import type { EmbeddedBroker } from '../broker/embeddedBroker.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import { connectHost } from '../core/connectHost.js'
import type { Logger } from '../log.js'
import type { Lifecycle } from './lifecycle.js'

/** The demo's simulated MQTT devices, started last: a client of the broker like a real device. */
export async function startDemoSimulator(
  config: LoadedConfig,
  broker: EmbeddedBroker | null,
  log: Logger,
  life: Lifecycle,
): Promise<void> {
  const sim = config.demo?.simulator
  // the simulator speaks plain MQTT; the config check keeps broker.plain on while it is enabled
  if (!sim?.enabled || broker === null || broker.port === null) return
  const simulator = createSimulator({
    url: `mqtt://${connectHost(config.broker.host)}:${broker.port}`,
    username: sim.username,
    password: sim.password,
    topicPrefix: config.topicPrefix,
    // Modbus and GPIO devices are simulated on their own wires (fieldAdapters.ts)
    devices: config.devices.filter((d) => !d.modbus && !d.gpio),
    intervalSec: sim.intervalSec,
    log,
  })
  await life.start({ name: 'demo simulator', start: () => simulator.start(), stop: () => simulator.stop() })
}
