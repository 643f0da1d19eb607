import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../log.js'
import { createMemoryTrim, loadMemoryTrimNative, type MemoryTrimNative, type NativeLoad } from './memoryTrim.js'
import type { ResidentMemory } from './processMemory.js'

const NODE = '/opt/node/bin/node'
const MB = 2 ** 20
const SMAPS = [
  '00400000-0074d000 r--p 00000000 fe:00 1 /opt/node/bin/node',
  'Anonymous:             0 kB',
  'Swap:                  0 kB',
  'Private_Dirty:         0 kB',
  '0074d000-03081000 r-xp 0034d000 fe:00 1 /opt/node/bin/node',
  'Anonymous:             0 kB',
  'Swap:                  0 kB',
  'Private_Dirty:         0 kB',
  '06b83000-06b87000 r--p 06782000 fe:00 1 /opt/node/bin/node',
  'Anonymous:            16 kB',
  'Swap:                  0 kB',
  'Private_Dirty:        16 kB',
].join('\n')

interface Harness {
  readonly calls: string[]
  readonly lines: Array<{ level: number; msg: string; [k: string]: unknown }>
  readonly trim: ReturnType<typeof createMemoryTrim>
  /** The share of time the event loop is busy, as the trim's quiet check reads it. */
  busy: number
}

describe('the memory trim', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function harness(overrides: { native?: NativeLoad; dropErrno?: number; readSmaps?: () => string } = {}): Harness {
    const calls: string[] = []
    const lines: Harness['lines'] = []
    // resident memory falls by 10 MB at every call that gives memory back
    let rss = 140
    const memory = (): ResidentMemory => ({ rss: rss * MB, anon: (rss - 60) * MB, file: 60 * MB })
    const native: MemoryTrimNative = {
      trimMalloc: () => {
        calls.push('malloc_trim')
        rss -= 10
        return true
      },
      dropPages: (start, length) => {
        calls.push(`drop ${start.toString(16)}+${length.toString(16)}`)
        rss -= 10
        return overrides.dropErrno ?? 0
      },
    }
    const state = { busy: 0.05 }
    const trim = createMemoryTrim({
      native: overrides.native ?? { native },
      eventLoopUtilization: ((mark?: unknown) => ({
        idle: 0,
        active: 0,
        utilization: mark === undefined ? 0 : state.busy,
      })) as typeof performance.eventLoopUtilization,
      log: createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) }),
      firstAfterMs: 30_000,
      everyMs: 600_000,
      collectGarbage: () => calls.push('gc'),
      readSmaps:
        overrides.readSmaps ??
        (() => {
          calls.push('read smaps')
          return SMAPS
        }),
      executable: NODE,
      memory,
    })
    return {
      calls,
      lines,
      trim,
      get busy() {
        return state.busy
      },
      set busy(share: number) {
        state.busy = share
      },
    }
  }

  /** The first trim: 30 s after the start and a quiet second. */
  const FIRST = 31_000
  /** The next ones: 10 minutes after the last and a quiet second. */
  const NEXT = 601_000

  it('trims 30 s after the start (and a quiet second) with a full GC, then every 10 minutes without one, and stops with the gateway', async () => {
    const { calls, lines, trim } = harness()
    await trim.start?.()
    vi.advanceTimersByTime(FIRST - 1)
    expect(calls).toEqual([])
    vi.advanceTimersByTime(1)
    // the executable's clean mappings only: the relocated read-only one (06b83000) is kept
    expect(calls).toEqual(['gc', 'malloc_trim', 'read smaps', 'drop 400000+34d000', 'drop 74d000+2934000'])
    const first = lines.find((l) => l.msg === 'memory trimmed after the start')
    expect(first).toMatchObject({ level: 30, beforeMb: { rss: 140 }, afterMb: { rss: 110, file: 60 } })
    expect(first?.ms).toEqual(expect.any(Number))
    calls.length = 0
    // the mappings were read once: the next trims drop the same ranges without reading smaps again
    vi.advanceTimersByTime(NEXT)
    expect(calls).toEqual(['malloc_trim', 'drop 400000+34d000', 'drop 74d000+2934000'])
    expect(lines.at(-1)).toMatchObject({ level: 20, msg: 'memory trimmed', afterMb: { rss: 80 } })
    calls.length = 0
    await trim.stop?.()
    vi.advanceTimersByTime(3_600_000)
    expect(calls).toEqual([])
  })

  it('puts a trim off while the event loop is busy (an alarm storm, a burst of readings), and trims once it is quiet', async () => {
    const h = harness()
    h.busy = 0.9
    await h.trim.start?.()
    vi.advanceTimersByTime(FIRST)
    expect(h.calls).toEqual([])
    expect(h.lines.at(-1)).toMatchObject({ level: 20, msg: 'memory trim put off: the gateway is busy', busy: 0.9 })
    // every 30 s it looks again, for a second
    vi.advanceTimersByTime(31_000 * 3)
    expect(h.calls).toEqual([])
    h.busy = 0.2
    vi.advanceTimersByTime(31_000)
    expect(h.calls).toEqual(['gc', 'malloc_trim', 'read smaps', 'drop 400000+34d000', 'drop 74d000+2934000'])
    // the next one counts from this trim, and is put off the same way
    h.calls.length = 0
    h.busy = 0.5
    vi.advanceTimersByTime(NEXT + 31_000 * 2)
    expect(h.calls).toEqual([])
    h.busy = 0
    vi.advanceTimersByTime(31_000)
    expect(h.calls).toEqual(['malloc_trim', 'drop 400000+34d000', 'drop 74d000+2934000'])
  })

  it('stopped before the first trim, it never trims', async () => {
    const { calls, trim } = harness()
    await trim.start?.()
    vi.advanceTimersByTime(10_000)
    await trim.stop?.()
    vi.advanceTimersByTime(3_600_000)
    expect(calls).toEqual([])
  })

  it('without the addon the gateway says so once at start, and the trim still runs its GC', async () => {
    const { calls, lines, trim } = harness({ native: { missing: 'not built (x): run npm run build:native' } })
    await trim.start?.()
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({
        reason: 'not built (x): run npm run build:native',
        msg: expect.stringContaining('not built'),
      }),
    ])
    vi.advanceTimersByTime(FIRST + NEXT)
    expect(calls).toEqual(['gc'])
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1)
  })

  it('pages the system refuses to drop are said once and not tried again; malloc is still trimmed', async () => {
    const { calls, lines, trim } = harness({ dropErrno: 22 })
    await trim.start?.()
    vi.advanceTimersByTime(FIRST)
    expect(calls).toEqual(['gc', 'malloc_trim', 'read smaps', 'drop 400000+34d000'])
    calls.length = 0
    vi.advanceTimersByTime(NEXT * 3)
    expect(calls).toEqual(['malloc_trim', 'malloc_trim', 'malloc_trim'])
    const warnings = lines.filter((l) => l.level === 40)
    expect(warnings).toEqual([expect.objectContaining({ errno: 22, msg: expect.stringContaining('not tried again') })])
  })

  it('without /proc the pages are left alone, said once; malloc is still trimmed and nothing throws', async () => {
    const { calls, lines, trim } = harness({
      readSmaps: () => {
        throw Object.assign(new Error("ENOENT: no such file or directory, open '/proc/self/smaps'"), { code: 'ENOENT' })
      },
    })
    await trim.start?.()
    vi.advanceTimersByTime(FIRST + NEXT)
    expect(calls).toEqual(['gc', 'malloc_trim', 'malloc_trim'])
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({ msg: 'memory trim: cannot read the process mappings; pages are not dropped' }),
    ])
  })

  it('loading the addon from where it is not built says where it looked and what to run', () => {
    const load = loadMemoryTrimNative(['/nonexistent/memory_trim.node'])
    expect(load).toEqual({ missing: 'not built (/nonexistent/memory_trim.node): run npm run build:native' })
  })
})
