import { describe, expect, it } from 'vitest'
import { droppableExecutableRanges } from './executablePages.js'

const NODE = '/opt/node/bin/node'

/** One mapping of a /proc/<pid>/smaps text, its fields in kB. */
function mapping(range: string, perms: string, path: string, kb: Record<string, number>): string {
  const fields = Object.entries(kb).map(([k, v]) => `${k}:${' '.repeat(Math.max(1, 16 - k.length))}${v} kB`)
  return [
    `${range} ${perms} 00000000 fe:00 2146376${' '.repeat(28)}${path}`,
    ...fields,
    'VmFlags: rd mr mw me dw sd',
  ].join('\n')
}

const clean = { Size: 3380, Rss: 2048, Private_Dirty: 0, Anonymous: 0, Swap: 0 }

describe('the pages of the node executable a trim may drop', () => {
  it('takes its read-only private mappings without a page of their own, as address ranges', () => {
    const smaps = [
      mapping('00400000-0074d000', 'r--p', NODE, clean),
      mapping('0074d000-03081000', 'r-xp', NODE, clean),
      mapping('7f7bcbdc0000-7f7bcbfc5000', 'r-xp', NODE, clean),
    ].join('\n')
    expect(droppableExecutableRanges(smaps, NODE)).toEqual([
      { start: 0x400000, length: 0x74d000 - 0x400000 },
      { start: 0x74d000, length: 0x3081000 - 0x74d000 },
      { start: 0x7f7bcbdc0000, length: 0x7f7bcbfc5000 - 0x7f7bcbdc0000 },
    ])
  })

  it('leaves what holds data of its own: the loader-written read-only part, writable data, swapped or dirty pages', () => {
    const smaps = [
      // RELRO: relocated at load, then made read-only: its pages differ from the file
      mapping('06b83000-06b87000', 'r--p', NODE, { ...clean, Private_Dirty: 16, Anonymous: 16 }),
      mapping('06b87000-06bae000', 'rw-p', NODE, clean),
      mapping('06c00000-06c10000', 'r--p', NODE, { ...clean, Swap: 4 }),
      mapping('06d00000-06d10000', 'r--p', NODE, { ...clean, Private_Dirty: 4 }),
      mapping('06e00000-06e10000', 'r--s', NODE, clean),
      mapping('06f00000-06f10000', '---p', NODE, clean),
    ].join('\n')
    expect(droppableExecutableRanges(smaps, NODE)).toEqual([])
  })

  it('leaves other files, anonymous memory, a replaced executable and a mapping whose fields are missing', () => {
    const smaps = [
      mapping('7f0000000000-7f0000100000', 'r-xp', '/usr/lib/x86_64-linux-gnu/libc.so.6', clean),
      mapping('7f0000200000-7f0000300000', 'r-xp', '', clean),
      mapping('7f0000400000-7f0000500000', 'r-xp', `${NODE} (deleted)`, clean),
      mapping('7f0000600000-7f0000700000', 'r-xp', NODE, { Size: 1024, Rss: 4 }),
    ].join('\n')
    expect(droppableExecutableRanges(smaps, NODE)).toEqual([])
  })

  it('reads this process: some of its own executable, never a writable range', async () => {
    const { readFileSync, realpathSync } = await import('node:fs')
    const smaps = readFileSync('/proc/self/smaps', 'utf8')
    const exe = realpathSync(process.execPath)
    const ranges = droppableExecutableRanges(smaps, exe)
    expect(ranges.length).toBeGreaterThan(0)
    const writable = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((l) => l.split(/\s+/)[1]?.[1] === 'w')
      .map((l) => Number.parseInt(l.split('-')[0] ?? '', 16))
    for (const r of ranges) expect(writable).not.toContain(r.start)
  })
})
