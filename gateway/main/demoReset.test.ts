import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import { isStoreGuardError } from '../core/errors.js'
import { resetDemoData } from './demoReset.js'

/** The settings demo-reset reads; the rest of a config plays no part. */
function config(dataDir: string, demo = true, apiPort = 0): LoadedConfig {
  return {
    file: 'demo.yaml',
    storage: { dataDir },
    api: { host: '127.0.0.1', port: apiPort },
    ...(demo ? { demo: { tokens: {} } } : {}),
  } as unknown as LoadedConfig
}

async function refused(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run()
    return false
  } catch (err) {
    return isStoreGuardError(err, 'demo_reset_refused')
  }
}

describe('resetting the demo', () => {
  let dir: ReturnType<typeof tempDir>
  let root: string
  beforeEach(() => {
    dir = tempDir()
    root = join(dir.path, 'checkout')
    mkdirSync(join(root, 'data', 'demo'), { recursive: true })
    writeFileSync(join(root, 'data', 'demo', 'journal.db'), 'alarms of earlier runs')
  })
  afterEach(() => dir.remove())

  it("deletes the demo's data directory inside the checkout, and says which", async () => {
    expect(await resetDemoData(config(join(root, 'data', 'demo')), root)).toBe(join(root, 'data', 'demo'))
    expect(existsSync(join(root, 'data', 'demo'))).toBe(false)
    expect(existsSync(root)).toBe(true)
  })

  it('is content when there is nothing to delete', async () => {
    await expect(resetDemoData(config(join(root, 'data', 'other')), root)).resolves.toBe(join(root, 'data', 'other'))
  })

  it('deletes nothing for a config without a demo section: that is a store', async () => {
    expect(await refused(() => resetDemoData(config(join(root, 'data', 'demo'), false), root))).toBe(true)
    expect(existsSync(join(root, 'data', 'demo', 'journal.db'))).toBe(true)
  })

  it('deletes nothing outside the checkout, nor the checkout itself', async () => {
    mkdirSync(join(dir.path, 'elsewhere'))
    expect(await refused(() => resetDemoData(config(join(dir.path, 'elsewhere')), root))).toBe(true)
    expect(await refused(() => resetDemoData(config(root), root))).toBe(true)
    expect(await refused(() => resetDemoData(config(join(root, '..', 'elsewhere')), root))).toBe(true)
    expect(existsSync(join(dir.path, 'elsewhere'))).toBe(true)
  })

  it('deletes nothing through a symlink that leads out of the checkout', async () => {
    mkdirSync(join(dir.path, 'elsewhere'))
    symlinkSync(join(dir.path, 'elsewhere'), join(root, 'data', 'link'))
    expect(await refused(() => resetDemoData(config(join(root, 'data', 'link')), root))).toBe(true)
    expect(existsSync(join(dir.path, 'elsewhere'))).toBe(true)
  })

  it('deletes nothing while the demo runs: its API port answers', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      expect(await refused(() => resetDemoData(config(join(root, 'data', 'demo'), true, port), root))).toBe(true)
      expect(existsSync(join(root, 'data', 'demo', 'journal.db'))).toBe(true)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
