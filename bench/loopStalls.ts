/** The longest event-loop stalls a gateway saw in a window, from its /metrics (gateway/eventLoopStalls.ts). */
export interface LoopStalls {
  readonly maxMs: number
  /** Stalls longer than 2 ms and 10 ms in the window. */
  readonly over2Ms: number
  readonly over10Ms: number
}

/** Counts of the stall histogram's buckets, by upper bound in seconds; `+Inf` for the total. */
function buckets(metrics: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const m of metrics.matchAll(/^storeguard_event_loop_stall_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm))
    counts.set(m[1] as string, Number(m[2]))
  return counts
}

/**
 * Opens a window on a gateway's stalls: reading /metrics starts a new
 * since-last-scrape maximum, and the histogram counts are kept to subtract.
 * `close()` reads again. Null figures when the gateway does not export them.
 */
export async function watchStalls(read: () => Promise<string>): Promise<{ close(): Promise<LoopStalls | null> }> {
  const before = buckets(await read())
  return {
    async close() {
      const text = await read()
      const max = /^storeguard_event_loop_stall_max_seconds (\S+)$/m.exec(text)?.[1]
      if (max === undefined) return null
      const after = buckets(text)
      const over = (le: string) =>
        (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0) - ((after.get(le) ?? 0) - (before.get(le) ?? 0))
      return { maxMs: Number(max) * 1000, over2Ms: over('0.002'), over10Ms: over('0.01') }
    },
  }
}

export const formatStalls = (s: LoopStalls | null | undefined): string =>
  s ? `max ${s.maxMs.toFixed(1)} ms, ${s.over2Ms} over 2 ms, ${s.over10Ms} over 10 ms` : '—'
