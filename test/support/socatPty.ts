import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Two linked pseudo-terminals: bytes written to one come out of the other, like a serial cable. */
export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N). */
  readonly a: string
  /** Path of the other end. */
  readonly b: string
  stop(): Promise<void>
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` (Debian
 * package socat) and resolves once both links exist and socat is relaying.
 * `raw,echo=0`: no line discipline, so Modbus bytes such as 0x0A or 0x03 pass
 * untouched and nothing is echoed back to the sender.
 */
export async function startPtyPair(dir: string, timeoutMs = 5000): Promise<PtyPair> {
  const a = join(dir, 'pty-a')
  const b = join(dir, 'pty-b')
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  try {
    await waitForRelay(child, timeoutMs)
    await waitFor(() => existsSync(a) && existsSync(b), timeoutMs)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return { a, b, stop: () => stopChild(child) }
}

function waitForRelay(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    const timer = setTimeout(
      () => reject(new Error(`socat did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    )
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot run socat (apt-get install socat): ${err.message}`))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`socat exited with ${code}: ${stderr}`))
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('starting data transfer loop')) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('pty links did not appear')
    await new Promise((r) => setTimeout(r, 20))
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
