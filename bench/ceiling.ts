import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { rssOf } from './procStats.js'
import type { Contender, ContenderOptions } from './workload.js'

const READY_TIMEOUT_MS = 20_000
const KILL_AFTER_MS = 5000
const STDERR_TAIL_CHARS = 8192

/**
 * The ceiling contender: bench/ceilingProcess.ts in a child process of its own,
 * so its RSS is the pipeline's alone. Resolves once the child has created its
 * database and subscribed (it prints `{"ready":true}`).
 */
export async function startCeiling(options: ContenderOptions): Promise<Contender> {
  // its working directory: spawn fails with a misleading "node ENOENT" when it is missing
  mkdirSync(options.workDir, { recursive: true })
  const child = spawn(process.execPath, [join(import.meta.dirname, 'ceilingProcess.js')], {
    cwd: options.workDir,
    env: {
      ...process.env,
      CEILING_BROKER_URL: options.brokerUrl,
      CEILING_INFLUX_URL: options.influxUrl,
      CEILING_DATABASE: options.database,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    // a child that never started emits 'error' and no 'exit'
    child.once('error', () => {
      if (child.pid === undefined) resolve()
    })
  })

  // the child's errors (failed writes, broker trouble) go to our stderr; the tail also explains a failed start
  let stderrTail = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    process.stderr.write(chunk.replace(/^(?=.)/gm, '[ceiling] '))
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS)
  })

  const ready = new Promise<void>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`ceiling pipeline ${why}\n${stderrTail}`))
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS)
    const settle = () => clearTimeout(timer)
    // keeps reading stdout after ready too, so the child never blocks on a full pipe
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (isReadyLine(line)) {
        settle()
        resolve()
      }
    })
    child.once('error', (err) => {
      settle()
      fail(`did not start: ${err.message}`)
    })
    void exited.then(() => {
      settle()
      fail(`exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`)
    })
  })

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    // SIGTERM flushes what it holds; a child that cannot (InfluxDB gone) is killed
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    await exited
    clearTimeout(killer)
  }

  try {
    await ready
  } catch (err) {
    await stop()
    throw err
  }
  const pid = child.pid
  if (pid === undefined) throw new Error('ceiling pipeline has no pid')
  return { name: 'ceiling', pid, rss: () => rssOf(pid), stop }
}

function isReadyLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { ready?: unknown } | null)?.ready === true
  } catch {
    return false
  }
}
