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

/** The shell's "command not found" exit status: the wrapper's `command -v` check found no socat. */
const NOT_FOUND = 127

/**
 * How socat is run: `sh -c TIED_TO_STDIN socat ARGS…`. socat's pty-to-pty
 * relay reads no stdin and would outlive a gateway killed with `kill -9`,
 * holding its pty links (a later start then finds them taken). So a shell
 * starts socat in the background and reads its own stdin, a pipe whose only
 * writer is the gateway: the kernel closes that pipe however the gateway
 * ends, the read sees EOF, and the shell ends socat. A socat that stops by
 * itself ends the shell too, so a failed start is seen at once. Signals to
 * the whole process group (Ctrl-C in a terminal) end socat through the trap.
 * fd 3: a background list's stdin is /dev/null unless redirected from
 * another descriptor (POSIX, Shell Command Language 2.9.3).
 */
const TIED_TO_STDIN = `command -v "$0" >/dev/null 2>&1 || exit ${NOT_FOUND}
exec 3<&0
"$0" "$@" </dev/null &
socat=$!
{ while read -r _; do :; done; kill "$socat" 2>/dev/null; } <&3 &
watcher=$!
exec 3<&-
trap 'kill "$socat" 2>/dev/null' TERM INT HUP
while kill -0 "$socat" 2>/dev/null; do wait "$socat"; code=$?; done
kill "$watcher" 2>/dev/null
exit "\${code:-1}"`

function socatArgs(a: string, b: string): string[] {
  return ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`]
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and
 * resolves once both links exist and socat is relaying. `raw,echo=0`: no line
 * discipline, so Modbus bytes such as 0x0A or 0x03 pass untouched and nothing
 * is echoed back to the sender. socat ends with the gateway, even one killed
 * with SIGKILL (see {@link TIED_TO_STDIN}). Rejects with
 * {@link SocatNotInstalledError} when there is no socat to run.
 */
export async function startSocatPtyPair(options: SocatPtyPairOptions): Promise<PtyPair> {
  const { a, b } = options
  const timeoutMs = options.timeoutMs ?? 5000
  const child = spawn('/bin/sh', ['-c', TIED_TO_STDIN, options.command ?? 'socat', ...socatArgs(a, b)], {
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  try {
    await waitForRelay(child, timeoutMs)
    await waitFor(() => existsSync(a) && existsSync(b), timeoutMs)
  } catch (err) {
    child.stdin?.end()
    throw err
  }
  // socat keeps logging to stderr (e.g. at EOF); drain it so a full pipe never stalls the relay
  child.stderr?.resume()
  child.on('error', () => {}) // a failed kill at stop() is not worth a crash
  child.stdin?.on('error', () => {}) // the wrapper already gone: there is nothing left to tell
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
      reject(
        code === NOT_FOUND ? new SocatNotInstalledError(stderr) : new Error(`socat exited with ${code}: ${stderr}`),
      )
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
    // the same way out as when the gateway dies: the wrapper sees its stdin close and ends socat
    child.stdin?.end()
  })
}
