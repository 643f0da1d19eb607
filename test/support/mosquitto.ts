import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitForPort } from './freePort.js'

export interface Mosquitto {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
}

/**
 * Debian's mosquitto on 127.0.0.1, standing in for a central broker or an
 * existing store broker (docs/requirements.md#mqtt-devices "connects as a client to an existing broker").
 * Anonymous, in-memory: its ACLs are the broker's business, not the gateway's.
 */
export async function startMosquitto(
  dir: string,
  port: number,
  extraConfig: readonly string[] = [],
): Promise<Mosquitto> {
  const conf = join(dir, `mosquitto-${port}.conf`)
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      ...extraConfig,
      '',
    ].join('\n'),
  )
  const proc: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  await waitForPort(port)
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
    },
  }
}
