import { eventually } from './api.js'

/** What `process.memoryUsage()` reports, in bytes. */
export interface MemoryUsage {
  readonly rss: number
  readonly heapTotal: number
  readonly heapUsed: number
  readonly external: number
  readonly arrayBuffers: number
}

/** The node flag that opens a process's inspector on a free loopback port (printed to stderr). */
export const INSPECT_ON_LOOPBACK = '--inspect=127.0.0.1:0'

/**
 * The inspector's WebSocket address, read from the "Debugger listening on ws://…"
 * line a process started with {@link INSPECT_ON_LOOPBACK} writes to stderr.
 */
export function inspectorUrl(output: readonly string[]): Promise<string> {
  return eventually(
    async () => output.map((line) => /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1]).find(Boolean),
    15_000,
    'the inspector address on stderr',
  )
}

/**
 * A process's memory right after a full garbage collection, asked over the
 * V8 inspector protocol: the live set, free of when V8 would have collected
 * on its own. Heap sizes read without it vary with GC timing (a busy machine,
 * another Node major), which is no measure of a leak.
 */
export async function memoryAfterFullGc(url: string): Promise<MemoryUsage> {
  const socket = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true })
  })
  let nextId = 0
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId
      const onMessage = (event: MessageEvent) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number
          result?: Record<string, unknown>
          error?: unknown
        }
        if (message.id !== id) return
        socket.removeEventListener('message', onMessage)
        if (message.error !== undefined) reject(new Error(`${method}: ${JSON.stringify(message.error)}`))
        else resolve(message.result ?? {})
      }
      socket.addEventListener('message', onMessage)
      socket.send(JSON.stringify({ id, method, params }))
    })
  try {
    await call('HeapProfiler.collectGarbage')
    const evaluated = await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })
    const value = (evaluated.result as { value?: unknown } | undefined)?.value
    if (typeof value !== 'string') throw new Error(`unexpected Runtime.evaluate answer: ${JSON.stringify(evaluated)}`)
    return JSON.parse(value) as MemoryUsage
  } finally {
    socket.close()
  }
}
