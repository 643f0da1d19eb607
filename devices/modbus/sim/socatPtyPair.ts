import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * A simulated serial cable (simulators, docs/requirements.md#simulation: "a serial one over a pty
 * pair (socat from Debian)"): two linked pseudo-terminals, where bytes
 * written to one come out of the other. The gateway's real RTU client opens
 * one end, the RTU simulator the other, and every Modbus byte crosses a tty.
 */

/** Two linked pseudo-terminals. */
export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N that socat creates, and removes when it exits). */
  readonly a: string
  /** Path of the other end. */
  readonly b: string
  /** Ends socat; both ends then read EIO, like a USB-RS485 adapter pulled out. Resolves once it has exited. */
  stop(): Promise<void>
}

/** socat is not installed (Debian package `socat`): the caller decides whether that matters. */
export class SocatNotInstalledError extends Error {
  constructor(cause: unknown) {
    super('socat is not installed (Debian package socat)', { cause })
    this.name = 'SocatNotInstalledError'
  }
}

export interface SocatPtyPairOptions {
  /** Where to link the first end; an existing link there is replaced. */
  readonly a: string
  /** Where to link the second end. */
  readonly b: string
  /** How long socat may take to come up, ms. Default 5000. */
  readonly timeoutMs?: number
  /** The socat executable. Default `socat`, found on PATH. */
  readonly command?: string
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and
 * resolves once both links exist and socat is relaying. `raw,echo=0`: no line
 * discipline, so Modbus bytes such as 0x0A or 0x03 pass untouched and nothing
 * is echoed back to the sender. Rejects with {@link SocatNotInstalledError}
 * when there is no socat to run.
 */
export async function startSocatPtyPair(options: SocatPtyPairOptions): Promise<PtyPair> {
  const { a, b } = options
  const timeoutMs = options.timeoutMs ?? 5000
  const child = spawn(
    options.command ?? 'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  try {
    await waitForRelay(child, timeoutMs)
    await waitFor(() => existsSync(a) && existsSync(b), timeoutMs)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  // socat keeps logging to stderr (e.g. at EOF); drain it so a full pipe never stalls the relay
  child.stderr?.resume()
  child.on('error', () => {}) // a failed kill at stop() is not worth a crash
  return { a, b, stop: () => stopChild(child) }
}

function waitForRelay(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    const timer = setTimeout(
      () => reject(new Error(`socat did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    )
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(err.code === 'ENOENT' ? new SocatNotInstalledError(err) : err)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`socat exited with ${code}: ${stderr}`))
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('starting data transfer loop')) {
        clearTimeout(timer)
        child.stderr?.removeAllListeners('data')
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
