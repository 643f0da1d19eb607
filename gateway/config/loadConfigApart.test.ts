import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { loadConfigApart } from './loadConfigApart.js'

/** A worker script as a data: URL, standing in for configWorker.js. */
const workerOf = (source: string) => new URL(`data:text/javascript,${encodeURIComponent(source)}`)

describe("the config worker's answers, and a worker that gives none", () => {
  it('hands back the config the worker loaded', async () => {
    const worker = workerOf(`import { parentPort, workerData } from 'node:worker_threads'
      parentPort.postMessage({ config: { file: workerData.file, store: { id: 'store-001' } } })`)
    await expect(loadConfigApart('/etc/storeguard/storeguard.yaml', worker)).resolves.toEqual({
      file: '/etc/storeguard/storeguard.yaml',
      store: { id: 'store-001' },
    })
  })

  it('rethrows a refused config as the same coded error, with its problems', async () => {
    const problems = [{ path: '/broker/port', message: 'must be integer', line: 3 }]
    const worker = workerOf(`import { parentPort } from 'node:worker_threads'
      parentPort.postMessage({ error: { code: 'config_invalid', message: 'config invalid: 1 problem', problems: ${JSON.stringify(problems)} } })`)
    const err = await loadConfigApart('x.yaml', worker).catch((e: unknown) => e)
    expect(isStoreGuardError(err) && err.code).toBe('config_invalid')
    expect(err).toMatchObject({ message: 'config invalid: 1 problem', problems })
  })

  it('rejects with the error of a worker that throws, not a hang', async () => {
    const worker = workerOf(`throw new Error('the schema module would not load')`)
    await expect(loadConfigApart('x.yaml', worker)).rejects.toThrow('the schema module would not load')
  })

  it('rejects, saying so, when the worker exits without an answer', async () => {
    const worker = workerOf('process.exit(3)')
    await expect(loadConfigApart('x.yaml', worker)).rejects.toThrow('the config worker exited (3) without an answer')
  })
})
