import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type DemoPorts, demoYaml } from './support/demoConfig.js'
import { freePort } from './support/freePort.js'
import { allGone, commandLine, descendantsOf, isAlive } from './support/processes.js'
import { REPO_ROOT } from './support/repoRoot.js'
import { tempDir } from './support/tempDir.js'

/**
 * `npm start` as a newcomer runs it, and the ways it ends: SIGTERM to npm (what
 * a process manager or `kill` sends), SIGKILL of the gateway, SIGKILL of npm,
 * Ctrl-C in its terminal (SIGINT to the whole process group).
 * Each time every process of the tree (npm, the gateway it execs, socat's
 * wrapper and socat) must end and the API, MQTT and Modbus ports be free.
 *
 * "Ports free within 2 s" is met by design, not by a stopwatch here: npm
 * forwards SIGTERM to the gateway at once (the script `exec`s it, no shell in
 * between), the gateway notices a vanished parent within 250 ms
 * (gateway/main/parentWatch.ts), socat's wrapper ends socat as soon as its
 * stdin pipe closes (devices/modbus/sim/socatPtyPair.ts), and the kernel frees
 * a port when its process exits. So the test waits for the exits, bounded only
 * against a hang (a loaded machine may be slow), and then needs every port
 * bindable at once, with no retry.
 */

interface RunningDemo {
  readonly npm: ChildProcess
  readonly ports: Required<DemoPorts>
  /** npm and every process under it once the demo was up. */
  readonly tree: readonly number[]
  readonly gateway: number
  readonly socat: readonly number[]
  readonly output: string[]
}

const running: RunningDemo[] = []

/** `ownGroup`: a process group of its own, as a shell gives a command run in a terminal, for Ctrl-C to signal. */
async function startDemo(dir: string, ownGroup = false): Promise<RunningDemo> {
  const ports = { api: await freePort(), mqtt: await freePort(), modbus: await freePort() }
  const config = join(dir, 'demo.yaml')
  writeFileSync(config, demoYaml(dir, ports))
  // --ignore-scripts skips prestart's build (the test run built dist/ already), not start itself
  const npm = spawn('npm', ['start', '--ignore-scripts', '--', '--config', config], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // only when asked: out of the test runner's group, a demo would outlive a test run killed with Ctrl-C
    detached: ownGroup,
  })
  const output: string[] = []
  createInterface({ input: npm.stdout as NodeJS.ReadableStream }).on('line', (l) => output.push(l))
  createInterface({ input: npm.stderr as NodeJS.ReadableStream }).on('line', (l) => output.push(l))
  const pid = npm.pid ?? -1
  const demo = { npm, ports, output, tree: [pid], gateway: -1, socat: [] as number[] }
  running.push(demo)
  await eventually(
    async () => (output.some((l) => l.includes('Start a fire')) ? true : undefined),
    90_000,
    `the demo banner:\n${output.join('\n')}`,
  )
  const tree = [pid, ...descendantsOf(pid)]
  const gateway = tree.find((p) => commandLine(p).includes('dist/gateway/cli.js run')) ?? -1
  const socat = tree.filter((p) => commandLine(p).startsWith('socat '))
  const started = { ...demo, tree, gateway, socat }
  running[running.length - 1] = started
  return started
}

/** Binds each port on 127.0.0.1 and lets it go; rejects on the first one still taken. */
async function bindable(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
    })
  }
}

describe('stopping the demo started with npm start', () => {
  let dir: ReturnType<typeof tempDir>
  afterEach(() => {
    // a failed test must not leave a demo running under the next one
    for (const demo of running.splice(0)) {
      for (const pid of demo.tree.filter(isAlive)) process.kill(pid, 'SIGKILL')
    }
    dir?.remove()
  })

  it('SIGTERM to npm stops the gateway in order and ends socat: no process left, every port free', async () => {
    dir = tempDir()
    const demo = await startDemo(dir.path)
    expect(demo.gateway, demo.tree.map(commandLine).join('\n')).toBeGreaterThan(0)
    expect(demo.socat).toHaveLength(1) // the demo's RS-485 line
    process.kill(demo.npm.pid ?? -1, 'SIGTERM')
    await allGone(demo.tree)
    await bindable(Object.values(demo.ports))
    // stopped in order, not killed: the gateway said so before it went
    expect(demo.output.some((l) => l.includes('"msg":"stopping"') && l.includes('"signal":"SIGTERM"'))).toBe(true)
  })

  it('Ctrl-C (SIGINT to the whole process group) stops the gateway in order: no process left, every port free', async () => {
    dir = tempDir()
    const demo = await startDemo(dir.path, true)
    expect(demo.socat).toHaveLength(1)
    process.kill(-(demo.npm.pid ?? -1), 'SIGINT')
    await allGone(demo.tree)
    await bindable(Object.values(demo.ports))
    expect(demo.output.some((l) => l.includes('"msg":"stopping"') && l.includes('"signal":"SIGINT"'))).toBe(true)
  })

  it('kill -9 of the gateway ends socat with it: no process left, every port free', async () => {
    dir = tempDir()
    const demo = await startDemo(dir.path)
    expect(demo.socat).toHaveLength(1)
    process.kill(demo.gateway, 'SIGKILL')
    await allGone(demo.tree)
    await bindable(Object.values(demo.ports))
  })

  it('kill -9 of npm: the gateway sees its parent gone and stops in order, socat with it', async () => {
    dir = tempDir()
    const demo = await startDemo(dir.path)
    process.kill(demo.npm.pid ?? -1, 'SIGKILL')
    await allGone(demo.tree)
    await bindable(Object.values(demo.ports))
    expect(demo.output.some((l) => l.includes('"msg":"stopping"') && l.includes('"signal":"parent exited"'))).toBe(true)
  })
})
