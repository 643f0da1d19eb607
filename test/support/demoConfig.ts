import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './repoRoot.js'

export interface DemoPorts {
  /** HTTP API; 0 picks a free one. */
  readonly api?: number
  /** Embedded MQTT broker; 0 picks a free one. */
  readonly mqtt?: number
  /** The simulated Modbus TCP gateway, which cannot take 0 (docs/design.md#known-traps): pick one with freePort(). */
  readonly modbus: number
}

/** deploy/demo.yaml as shipped, moved to these ports and a temp data dir, with a 1 s simulator. */
export function demoYaml(dataDir: string, ports: DemoPorts): string {
  return readFileSync(join(REPO_ROOT, 'deploy', 'demo.yaml'), 'utf8')
    .replace(/port: 1883/, `port: ${ports.mqtt ?? 0}`)
    .replace(/port: 1502/, `port: ${ports.modbus}`)
    .replace(/port: 8080/, `port: ${ports.api ?? 0}`)
    .replace(/dataDir: .*/, `dataDir: ${dataDir}`)
    .replace(/intervalSec: 10/, 'intervalSec: 1')
}
