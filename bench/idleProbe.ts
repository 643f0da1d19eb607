import { join } from 'node:path'
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8'

/**
 * Preloaded into the gateway by bench/idleMemory.ts (`--import`): on a message from the parent,
 * a full GC (the gateway runs with `--expose-gc` there), then the heap's figures and, when asked,
 * a heap snapshot. The IPC channel is unreferenced so it never keeps the gateway alive.
 */
export interface MemoryReport {
  readonly memoryUsage: NodeJS.MemoryUsage
  readonly heapSpaces: ReadonlyArray<{ readonly name: string; readonly used: number; readonly size: number }>
  readonly snapshot: string | null
}

if (process.send) {
  process.channel?.unref()
  process.on('message', (m: { snapshotDir: string | null }) => {
    ;(globalThis as { gc?: () => void }).gc?.()
    const snapshot = m.snapshotDir === null ? null : writeHeapSnapshot(join(m.snapshotDir, 'idle.heapsnapshot'))
    const report: MemoryReport = {
      memoryUsage: process.memoryUsage(),
      heapSpaces: getHeapSpaceStatistics().map((s) => ({
        name: s.space_name,
        used: s.space_used_size,
        size: s.space_size,
      })),
      snapshot,
    }
    process.send?.(report)
  })
}
