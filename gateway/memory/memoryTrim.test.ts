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
    const trim = createMemoryTrim({
      native: overrides.native ?? { native },
      log: createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) }),
      firstAfterMs: 30_000,
      everyMs: 600_000,
      collectGarbage: () => calls.push('gc'),
      readSmaps: overrides.readSmaps ?? (() => SMAPS),
      executable: NODE,
      memory,
    })
    return { calls, lines, trim }
  }

  it('trims 30 s after the start with a full GC, then every 10 minutes without one, and stops with the gateway', async () => {
    const { calls, lines, trim } = harness()
    await trim.start?.()
    vi.advanceTimersByTime(29_999)
    expect(calls).toEqual([])
    vi.advanceTimersByTime(1)
    // the executable's clean mappings only: the relocated read-only one (06b83000) is kept
    expect(calls).toEqual(['gc', 'malloc_trim', 'drop 400000+34d000', 'drop 74d000+2934000'])
    const first = lines.find((l) => l.msg === 'memory trimmed after the start')
    expect(first).toMatchObject({ level: 30, beforeMb: { rss: 140 }, afterMb: { rss: 110, file: 60 } })
    calls.length = 0
    vi.advanceTimersByTime(600_000)
    expect(calls).toEqual(['malloc_trim', 'drop 400000+34d000', 'drop 74d000+2934000'])
    expect(lines.at(-1)).toMatchObject({ level: 20, msg: 'memory trimmed', afterMb: { rss: 80 } })
    calls.length = 0
    await trim.stop?.()
    vi.advanceTimersByTime(3_600_000)
    expect(calls).toEqual([])
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
    vi.advanceTimersByTime(30_000 + 600_000)
    expect(calls).toEqual(['gc'])
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1)
  })

  it('pages the system refuses to drop are said once and not tried again; malloc is still trimmed', async () => {
    const { calls, lines, trim } = harness({ dropErrno: 22 })
    await trim.start?.()
    vi.advanceTimersByTime(30_000)
    expect(calls).toEqual(['gc', 'malloc_trim', 'drop 400000+34d000'])
    calls.length = 0
    vi.advanceTimersByTime(600_000 * 3)
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
    vi.advanceTimersByTime(30_000 + 600_000)
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
