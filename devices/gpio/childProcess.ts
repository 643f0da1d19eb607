import { type ChildProcess, execFile } from 'node:child_process'
import { systemTimers, type Timers } from './timers.js'

/**
 * Small helpers for the libgpiod tools run as child processes (gpiodDriver.ts).
 */

export interface ToolResult {
  readonly stdout: string
  readonly stderr: string
}

/** Runs a tool to completion; rejects on a non-zero exit, a missing binary (`code: 'ENOENT'`) or a timeout. */
export function runTool(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr }))
      else resolve({ stdout, stderr })
    })
  })
}

/** Resolves once the child has been spawned; rejects when it could not be (ENOENT, EACCES). */
export function spawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
}

/** Whether the child has ended (exited, or never started). */
export function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined
}

/**
 * SIGTERM, then SIGKILL after `graceMs` on `timers` (injected, so a slow test
 * machine never turns a clean stop into a kill); resolves when the child is gone.
 */
export function stopChild(child: ChildProcess, timers: Timers = systemTimers, graceMs = 1000): Promise<void> {
  if (hasEnded(child)) return Promise.resolve()
  return new Promise((resolve) => {
    const force = timers.setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      timers.clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** The last line of a tool's stderr, for a fault's detail. */
export function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return lines[lines.length - 1]?.trim() ?? ''
}
