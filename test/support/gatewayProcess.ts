import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { REPO_ROOT } from './repoRoot.js'

const CLI = join(REPO_ROOT, 'dist', 'gateway', 'cli.js')

export interface GatewayProcess {
  readonly proc: ChildProcess
  readonly apiUrl: string
  readonly mqttUrl: string
  /** `mqtts://127.0.0.1:<port>` when the config has broker.tls, else null. */
  readonly mqttsUrl: string | null
  /** Every line the gateway wrote to stdout and stderr so far. */
  readonly output: string[]
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>
  kill(signal?: NodeJS.Signals): Promise<number | string>
}

/**
 * Spawns the built gateway (`dist/gateway/cli.js run`) on a config written to
 * `dir`, and waits for its "gateway started" log line to learn the real ports
 * (configs use port 0, so parallel tests never collide).
 *
 * `timeoutMs` only bounds a start that hangs (one that fails exits, and is
 * reported at once). It is generous: on a shared machine with every core
 * busy, a Node start was seen to take over 15 s before its first log line.
 * `nodeArgs` go to node before the script (e.g. a flag opening the inspector).
 */
export async function startGatewayProcess(
  dir: string,
  configYaml: string,
  timeoutMs = 90_000,
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  const file = join(dir, 'storeguard.yaml')
  writeFileSync(file, configYaml)
  // --stop-with-parent: a test run killed half-way (Ctrl-C, a CI timeout) leaves no gateway holding its ports
  const proc = spawn(
    process.execPath,
    [...nodeArgs, CLI, 'run', '--config', file, `--stop-with-parent=${process.pid}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const output: string[] = []
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  const started = new Promise<{ api: string; mqttPort: number; mqttsPort?: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      // the caller never gets a handle to this process: kill it, or it outlives the test run
      proc.kill('SIGKILL')
      reject(new Error(`gateway did not start:\n${output.join('\n')}`))
    }, timeoutMs)
    const onLine = (line: string) => {
      output.push(line)
      if (!line.includes('"gateway started"')) return
      clearTimeout(timer)
      resolve(JSON.parse(line) as { api: string; mqttPort: number; mqttsPort?: number })
    }
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', onLine)
    createInterface({ input: proc.stderr as NodeJS.ReadableStream }).on('line', (l) => output.push(l))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`gateway exited (${code}) before it started:\n${output.join('\n')}`))
    })
  })
  const { api, mqttPort, mqttsPort } = await started
  return {
    proc,
    apiUrl: api,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    mqttsUrl: mqttsPort === undefined ? null : `mqtts://127.0.0.1:${mqttsPort}`,
    output,
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return exited
    },
  }
}
