import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../log.js'
import { createMemoryTrim, loadMemoryTrimNative, type MemoryTrimNative } from './memoryTrim.js'
import { residentMemory } from './processMemory.js'

/** The addon `npm ci` builds (package.json `install`); CI has the compiler, so it must be there. */
function realNative(): MemoryTrimNative {
  const load = loadMemoryTrimNative()
  if ('missing' in load) throw new Error(`the memory trim addon is missing: ${load.missing}`)
  return load.native
}

describe('the memory trim on this process, with the real addon', () => {
  it('drops the pages of the node executable and gives back malloc, and the process runs on as before', () => {
    const native = realNative()
    const lines: Array<Record<string, unknown>> = []
    const trim = createMemoryTrim({
      native: { native },
      log: createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) }),
      firstAfterMs: 1,
      everyMs: 60_000,
    })
    const result = trim.trim(true)
    expect(result).not.toBeNull()
    if (result === null) return
    // the test runner itself has touched tens of MB of node; most of it is unmapped at once
    expect(result.before.file).toBeGreaterThan(20 * 2 ** 20)
    expect(result.after.file).toBeLessThan(result.before.file / 2)
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([])
    // what the dropped pages held comes back from the file: code, ICU data, crypto all work
    expect(new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: 'numeric' }).format(0)).toBe('8时')
    expect(JSON.parse(JSON.stringify({ a: [1, 2, { b: 'c' }] }))).toEqual({ a: [1, 2, { b: 'c' }] })
    expect(residentMemory().file).toBeGreaterThan(result.after.file)
  })

  it('a second thread runs on while the main one drops the pages it runs from', async () => {
    const native = realNative()
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads')
       let n = 0
       const spin = () => { for (let i = 0; i < 1e5; i++) n += JSON.stringify({ i }).length; }
       parentPort.on('message', (m) => { spin(); parentPort.postMessage(n) })`,
      { eval: true },
    )
    try {
      const ask = () => new Promise<number>((resolve) => worker.once('message', resolve).postMessage('go'))
      const before = await ask()
      for (let i = 0; i < 3; i++)
        createMemoryTrim({ native: { native }, log: createLogger('silent'), firstAfterMs: 1, everyMs: 1 }).trim(false)
      expect(await ask()).toBe(before * 2)
    } finally {
      await worker.terminate()
    }
  })

  it('the addon refuses what is not a range and reports the errno of a range that is not mapped', () => {
    const native = realNative()
    expect(() => native.dropPages(0, 4096)).toThrow(TypeError)
    expect(() => (native.dropPages as (...a: unknown[]) => number)('x', 4096)).toThrow(TypeError)
    // a page-aligned address far above anything mapped: ENOMEM (12), or EINVAL (22) past a small address space
    expect([12, 22]).toContain(native.dropPages(2 ** 46 - 4096 * 16, 4096))
    expect(typeof native.trimMalloc()).toBe('boolean')
  })
})
