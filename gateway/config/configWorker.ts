import { parentPort, workerData } from 'node:worker_threads'
import { isStoreGuardError } from '../core/errors.js'
import { loadConfig } from './loadConfig.js'

/**
 * Runs `loadConfig` in a worker thread for `loadConfigApart`: the config schema's validator is
 * compiled, used and thrown away with the worker's own V8 heap (docs/performance.md#idle-memory).
 */
const { file } = workerData as { readonly file: string }
try {
  parentPort?.postMessage({ config: loadConfig(file) })
} catch (err) {
  parentPort?.postMessage({
    error: {
      code: isStoreGuardError(err) ? err.code : null,
      message: err instanceof Error ? err.message : String(err),
      problems: (err as { problems?: unknown }).problems,
    },
  })
}
