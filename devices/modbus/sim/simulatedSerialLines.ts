import { join } from 'node:path'
import type { Logger } from '../../../gateway/core/logger.js'
import { type ModbusBusConfig, SIMULATED_SERIAL_PORT } from '../modbusSchema.js'
import { type PtyPair, SocatNotInstalledError, startSocatPtyPair } from './socatPtyPair.js'

/**
 * The demo's RS-485 lines with no RS-485 adapter (simulators, docs/requirements.md#simulation: "a
 * serial one over a pty pair"). An RTU bus whose `port` is `simulated` gets a
 * socat pty pair linked under the demo's data directory: the gateway's real
 * RTU client opens one end, the RTU simulator the other.
 *
 * Why a placeholder rather than a path in demo.yaml: a pty pair exists only
 * while socat runs, and the demo's data directory is the one place that is
 * the demo's own (two demos, or a test beside `npm start`, never share it),
 * but it is only known once the config is loaded. `simulated` says what the
 * line is, as `gpio.driver: simulated` does for the GPIO lines, and the
 * config check refuses it outside the demo.
 */

export interface SimulatedSerialLines {
  /**
   * The buses to poll: the config's, with each simulated line's port set to
   * the gateway's end of its pty pair. A simulated line that could not be
   * made (no socat) is left out, so nothing polls it and nothing faults.
   */
  readonly buses: readonly ModbusBusConfig[]
  /** The simulator's end of each simulated line, by bus id. */
  readonly peers: Readonly<Record<string, string>>
  stop(): Promise<void>
}

export interface SimulatedSerialLinesOptions {
  readonly buses: readonly ModbusBusConfig[]
  /** Where the pty links go: the demo's data directory. */
  readonly dir: string
  readonly log: Logger
  /** The socat executable. Default `socat` on PATH. */
  readonly socatCommand?: string
}

export async function linkSimulatedSerialLines(options: SimulatedSerialLinesOptions): Promise<SimulatedSerialLines> {
  const log = options.log.child({ mod: 'simulator' })
  const pairs: PtyPair[] = []
  const peers: Record<string, string> = {}
  const missing: string[] = []
  const buses: ModbusBusConfig[] = []
  for (const bus of options.buses) {
    if (bus.type !== 'rtu' || bus.port !== SIMULATED_SERIAL_PORT) {
      buses.push(bus)
      continue
    }
    const pair = await linkLine(bus, options, log, missing)
    if (pair === undefined) continue
    pairs.push(pair)
    peers[bus.id] = pair.b
    buses.push({ ...bus, port: pair.a })
  }
  if (missing.length > 0) {
    // one warning, not a fault per device: the demo runs fine without its RS-485 line (README: `npm start` anywhere)
    log.warn({ buses: missing }, 'socat not found: install the Debian package socat to see the RTU demo bus')
  }
  return {
    buses,
    peers,
    async stop() {
      await Promise.all(pairs.map((p) => p.stop()))
    },
  }
}

async function linkLine(
  bus: ModbusBusConfig,
  options: SimulatedSerialLinesOptions,
  log: Logger,
  missing: string[],
): Promise<PtyPair | undefined> {
  try {
    return await startSocatPtyPair({
      a: join(options.dir, `${bus.id}.gateway.pty`),
      b: join(options.dir, `${bus.id}.device.pty`),
      ...(options.socatCommand ? { command: options.socatCommand } : {}),
    })
  } catch (err) {
    if (err instanceof SocatNotInstalledError) missing.push(bus.id)
    else log.warn({ bus: bus.id, err }, 'cannot simulate this RTU bus; it is left out')
    return undefined
  }
}
