import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allGone, pidsMentioning } from '../../../test/support/processes.js'
import { REPO_ROOT } from '../../../test/support/repoRoot.js'
import { tempDir } from '../../../test/support/tempDir.js'
import { SocatNotInstalledError, startSocatPtyPair } from './socatPtyPair.js'

const BUILT = join(REPO_ROOT, 'dist', 'devices', 'modbus', 'sim', 'socatPtyPair.js')

describe('the socat pty pair of a simulated serial line', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  it('links both ends while it runs, and stop() ends socat and removes the links', async () => {
    const pair = await startSocatPtyPair({ a: join(dir.path, 'a'), b: join(dir.path, 'b'), timeoutMs: 15_000 })
    expect(existsSync(pair.a) && existsSync(pair.b)).toBe(true)
    const running = pidsMentioning(dir.path)
    expect(running.length).toBeGreaterThan(0)
    await pair.stop()
    await allGone(running)
    expect(existsSync(pair.a) || existsSync(pair.b)).toBe(false)
  })

  it('ends with the process that started it, even one killed with SIGKILL', async () => {
    // a gateway stand-in: a node process that starts the pair and never stops it
    const script = `import { startSocatPtyPair } from ${JSON.stringify(BUILT)}
await startSocatPtyPair({ a: ${JSON.stringify(join(dir.path, 'a'))}, b: ${JSON.stringify(join(dir.path, 'b'))}, timeoutMs: 15000 })
console.log('linked')
setInterval(() => {}, 1000)`
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise((resolve) => owner.once('exit', resolve))
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: owner.stdout }).on('line', (l) => l === 'linked' && resolve())
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before socat was up`)))
    })
    const socat = pidsMentioning(dir.path)
    expect(socat.length).toBeGreaterThan(0)
    owner.kill('SIGKILL')
    await exited
    await allGone(socat)
    // socat ended in order (SIGTERM, not orphaned or killed outright): a later start finds the paths free
    expect(existsSync(join(dir.path, 'a')) || existsSync(join(dir.path, 'b'))).toBe(false)
  })

  it('says socat is not installed when there is none to run', async () => {
    const start = startSocatPtyPair({
      a: join(dir.path, 'a'),
      b: join(dir.path, 'b'),
      command: join(dir.path, 'socat'),
    })
    await expect(start).rejects.toBeInstanceOf(SocatNotInstalledError)
  })
})
