/** A Server-Sent Events stream read with fetch, as the console page reads it (tokens in headers, never URLs). */
export interface SseStream<T> {
  /** Every `snapshot` received so far, oldest first. */
  readonly snapshots: T[]
  /** The next snapshot satisfying `probe` (one already received counts), or a timeout error naming `what`. */
  until(probe: (snapshot: T) => boolean, timeoutMs?: number, what?: string): Promise<T>
  /** Resolves once the stream ended: the server closed it, or close(). */
  readonly ended: Promise<void>
  close(): void
}

export async function openSse<T>(url: string, token?: string): Promise<{ status: number; stream: SseStream<T> }> {
  const abort = new AbortController()
  const headers: Record<string, string> = { accept: 'text/event-stream' }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  const res = await fetch(url, { headers, signal: abort.signal })
  const snapshots: T[] = []
  const waiters = new Set<() => void>()
  let ended: Promise<void> = Promise.resolve()
  if (res.ok && res.body) {
    ended = (async () => {
      const decoder = new TextDecoder()
      let buffer = ''
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true })
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const lines = block.split('\n')
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6)
            if (event === 'snapshot' && data !== undefined) snapshots.push(JSON.parse(data) as T)
          }
          for (const wake of [...waiters]) wake()
        }
      } catch {
        // aborted by close(), or the server went away
      }
    })()
  } else {
    await res.body?.cancel()
  }
  const stream: SseStream<T> = {
    snapshots,
    ended,
    until(probe, timeoutMs = 15_000, what = 'a snapshot') {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = snapshots.find(probe)
          if (found === undefined) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for ${what} (${snapshots.length} snapshots)`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    close: () => abort.abort(),
  }
  return { status: res.status, stream }
}
