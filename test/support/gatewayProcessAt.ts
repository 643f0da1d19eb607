import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess.js'
import { REPO_ROOT } from './repoRoot.js'

const PRELOAD = pathToFileURL(join(REPO_ROOT, 'test', 'support', 'clockStartsAt.mjs')).href

/**
 * `startGatewayProcess` with the gateway's clock starting at `startIso` and
 * running on at the normal rate (clockStartsAt.mjs), so a test can expect
 * literal instants that depend on when something happened, such as a due
 * time on the business clock. The child inherits the environment when it is
 * spawned; this process's is restored once it has started.
 */
export async function startGatewayProcessAt(
  startIso: string,
  dir: string,
  configYaml: string,
): Promise<GatewayProcess> {
  const saved = { options: process.env.NODE_OPTIONS, start: process.env.STOREGUARD_TEST_CLOCK_START }
  process.env.NODE_OPTIONS = [saved.options, `--import=${PRELOAD}`].filter(Boolean).join(' ')
  process.env.STOREGUARD_TEST_CLOCK_START = startIso
  try {
    return await startGatewayProcess(dir, configYaml)
  } finally {
    restore('NODE_OPTIONS', saved.options)
    restore('STOREGUARD_TEST_CLOCK_START', saved.start)
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}
