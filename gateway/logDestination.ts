import type { Writable } from 'node:stream'

/** Where the logger writes: a stream that a lost or stuck reader can never turn against the gateway. */
export interface LogDestination {
  write(line: string): void
  /** True once the stream has failed for good (its reader is gone): lines are dropped from then on. */
  readonly lost: boolean
  /** Lines dropped so far, because the stream was lost or its reader had fallen too far behind. */
  readonly dropped: number
}

export interface LogDestinationOptions {
  /** Lines are dropped while this much is waiting for a slow reader; default 4 MiB. */
  readonly maxQueuedBytes?: number
  /** Called once, when the stream fails; default: one line on stderr, if stderr is still there. */
  readonly onLost?: (err: Error) => void
}

const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024

/**
 * Log lines to `stream` (stdout), guarded. pino's own stdout destination
 * (sonic-boom) retries a failed synchronous write every 100 ms for ever, and
 * it flushes synchronously on exit: once the reader of a pipe has gone
 * (EPIPE), a SIGTERM could leave the gateway spinning in that loop instead of
 * stopping. Here a stream error marks the log as lost and later lines are
 * dropped; a reader that stops reading costs bounded memory, never a blocked
 * event loop (Node keeps pipes and sockets on stdout non-blocking); and
 * nothing is flushed at exit, so stopping never waits on the log.
 */
export function createLogDestination(
  stream: Writable = process.stdout,
  options: LogDestinationOptions = {},
): LogDestination {
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES
  const onLost = options.onLost ?? reportOnStderr
  let lost = false
  let dropped = 0
  const fail = (err: Error) => {
    if (lost) return
    lost = true
    onLost(err)
  }
  // an unhandled 'error' on stdout would be an uncaught exception: a fatal exit for want of a log reader
  stream.on('error', fail)
  // the same goes for stderr, which Node itself writes warnings to
  if (stream === process.stdout) process.stderr.on('error', ignore)
  return {
    write(line) {
      if (lost || stream.destroyed || stream.writableLength > maxQueuedBytes) {
        dropped++
        return
      }
      try {
        stream.write(line)
      } catch (err) {
        // a file on a full disk throws from write itself; the line is lost, the gateway is not
        dropped++
        fail(err instanceof Error ? err : new Error(String(err)))
      }
    },
    get lost() {
      return lost
    },
    get dropped() {
      return dropped
    },
  }
}

function reportOnStderr(err: Error): void {
  const code = (err as NodeJS.ErrnoException).code ?? err.message
  // stderr may be gone too (the same pipe): then nobody can be told, and that must not throw either
  if (!process.stderr.listeners('error').includes(ignore)) process.stderr.on('error', ignore)
  try {
    process.stderr.write(`storeguard: log output lost (${code}); the gateway keeps running without logs\n`)
  } catch {
    // nowhere left to say it
  }
}

function ignore(): void {}
