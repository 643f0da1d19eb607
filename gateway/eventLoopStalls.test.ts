import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { watchEventLoopStalls } from './eventLoopStalls.js'

const stallMax = (text: string) => Number(/^storeguard_event_loop_stall_max_seconds (\S+)$/m.exec(text)?.[1])

describe('the longest event-loop stalls on /metrics', () => {
  it('a task that holds the loop shows as a stall, and the next scrape starts a new window', async () => {
    const registry = new Registry()
    const watch = watchEventLoopStalls(registry)
    watch.start()
    try {
      await new Promise((r) => setTimeout(r, 20))
      // a synchronous task of 50 ms of this thread's CPU, as a whole batch serialised at once would
      // be: counted in CPU, not wall time, so a machine busy with other processes gives the same task
      const cpuMs = () => {
        const { user, system } = process.threadCpuUsage?.() ?? process.cpuUsage()
        return (user + system) / 1000
      }
      const until = cpuMs() + 50
      while (cpuMs() < until) {}
      await new Promise((r) => setTimeout(r, 30))
      const text = await registry.metrics()
      expect(stallMax(text)).toBeGreaterThan(0.02)
      expect(text).toMatch(/^storeguard_event_loop_stall_seconds_bucket\{le="\+Inf"\} [1-9]/m)
      expect(stallMax(await registry.metrics())).toBeLessThan(0.02)
    } finally {
      watch.stop()
    }
  })
})
