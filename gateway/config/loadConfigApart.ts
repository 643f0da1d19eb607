import { Worker } from 'node:worker_threads'
import { type ErrorCode, StoreGuardError } from '../core/errors.js'
import type { LoadedConfig } from './loadConfig.js'

type WorkerAnswer =
  | { readonly config: LoadedConfig }
  | { readonly error: { readonly code: ErrorCode | null; readonly message: string; readonly problems?: unknown } }

/**
 * `loadConfig` in a worker thread, for the gateway's start. Compiling the config schema makes
 * ~60 MB of garbage; in the gateway's own heap V8 kept those pages for a minute and more after
 * start, in the worker's they go with it (docs/performance.md#idle-memory). Throws what
 * `loadConfig` throws: `config_unreadable`, or `config_invalid` with its `problems`.
 */
export function loadConfigApart(
  file: string,
  /** The worker's script: configWorker.js beside this file; another only in tests. */
  workerScript: URL = new URL('./configWorker.js', import.meta.url),
): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { file } })
    worker.once('message', (answer: WorkerAnswer) => {
      if ('config' in answer) return resolve(answer.config)
      const { code, message, problems } = answer.error
      const err = code === null ? new Error(message) : new StoreGuardError(code, message)
      reject(problems === undefined ? err : Object.assign(err, { problems }))
    })
    worker.once('error', reject)
    // after an answer this changes nothing: a promise settles once
    worker.once('exit', (code) => reject(new Error(`the config worker exited (${code}) without an answer`)))
  })
}
