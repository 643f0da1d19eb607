import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { Logger } from '../log.js'
import type { Component } from '../main/lifecycle.js'
import { type AddressRange, droppableExecutableRanges } from './executablePages.js'
import { inMegabytes, type ResidentMemory, residentMemory } from './processMemory.js'

/** gateway/native/memory_trim.c: what Node.js itself cannot ask of the system. */
export interface MemoryTrimNative {
  /** glibc's malloc_trim(0): every free page of malloc's arenas back to the system. */
  trimMalloc(): boolean
  /** madvise(MADV_DONTNEED) on one range; 0 or the errno. */
  dropPages(start: number, length: number): number
}

export type NativeLoad = { readonly native: MemoryTrimNative } | { readonly missing: string }

const ADDON = join('native', 'build', 'Release', 'memory_trim.node')

/** A trim waits for a second in which the event loop was busy at most this share of the time… */
const BUSY_UTILIZATION = 0.25
const QUIET_SAMPLE_MS = 1000
/** …and tries again this much later when it was busier. */
const BUSY_RETRY_MS = 30_000

/** Where `npm ci` builds the addon, seen from this file in the source tree and in dist/. */
function addonCandidates(): string[] {
  const here = import.meta.dirname
  return [join(here, '..', ADDON), join(here, '..', '..', '..', 'gateway', ADDON)]
}

/** The addon `npm ci` built (package.json `install`), or why there is none: the gateway runs without it. */
export function loadMemoryTrimNative(candidates: readonly string[] = addonCandidates()): NativeLoad {
  const file = candidates.find((f) => existsSync(f))
  if (file === undefined) return { missing: `not built (${candidates[0]}): run npm run build:native` }
  try {
    return { native: createRequire(import.meta.url)(file) as MemoryTrimNative }
  } catch (err) {
    return { missing: `${file}: ${(err as Error).message}` }
  }
}

/**
 * A full, memory-reducing GC now (V8's "last resort" collection: it also gives
 * back the pages V8 keeps pooled), or null if V8 will not expose it. The gc
 * function lives only in a throw-away context: nothing else of the gateway sees it.
 */
export function memoryReducingGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as (options: object) => void
    return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  } catch {
    return null
  }
}

export interface MemoryTrimOptions {
  readonly native: NativeLoad
  readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>
  /** The first trim, this long after the start: the start's work is done, its garbage and pages are not needed. */
  readonly firstAfterMs: number
  /** Then again this often: what a burst or a reload touched once goes back too. */
  readonly everyMs: number
  /** Below: the system's, replaced in tests. */
  readonly eventLoopUtilization?: typeof performance.eventLoopUtilization
  readonly collectGarbage?: (() => void) | null
  readonly readSmaps?: () => string
  readonly executable?: string
  readonly memory?: () => ResidentMemory
}

export interface MemoryTrim extends Component {
  /** One trim now; `first` adds the full GC. Returns the resident memory before and after. Never throws. */
  trim(first: boolean): { readonly before: ResidentMemory; readonly after: ResidentMemory } | null
}

/**
 * Gives back what the gateway holds but no longer uses (docs/performance.md#memory-trim):
 * the first time, after the start, a memory-reducing GC; each time, malloc's
 * free pages (malloc_trim) and the pages of the node executable that only
 * the start touched — V8's compilers, ICU data, the config's checks: mapped once,
 * counted in RSS until the kernel runs short. What the idle gateway still runs
 * comes back on its next touch, from the page cache, so RSS afterwards is what
 * it uses. Each trim waits for a quiet second of the event loop. A part that
 * fails (no addon, no /proc, a refused call) is said once at warn and left
 * out; the rest still runs, and the gateway never stops for it.
 */
export function createMemoryTrim(options: MemoryTrimOptions): MemoryTrim {
  const { log } = options
  const native = 'native' in options.native ? options.native.native : null
  const readSmaps = options.readSmaps ?? (() => readFileSync('/proc/self/smaps', 'utf8'))
  const memory = options.memory ?? (() => residentMemory())
  let executable = options.executable ?? null
  let dropPages = native !== null
  const utilization = options.eventLoopUtilization ?? performance.eventLoopUtilization
  let timer: NodeJS.Timeout | null = null

  // Read once, at the first trim: the executable is mapped at start and stays so, and reading and
  // parsing smaps costs more than the trim itself (~6 ms on this machine's core, four times that on a Pi).
  let ranges: readonly AddressRange[] | null = null
  function dropExecutablePages(nativeCalls: MemoryTrimNative): void {
    executable ??= realpathSync(process.execPath)
    ranges ??= droppableExecutableRanges(readSmaps(), executable)
    for (const range of ranges) {
      const errno = nativeCalls.dropPages(range.start, range.length)
      if (errno === 0) continue
      dropPages = false
      log.warn({ errno }, 'memory trim: the system refused to drop pages of the node executable; not tried again')
      return
    }
  }

  function trim(isFirst: boolean) {
    try {
      const startedAt = performance.now()
      const before = memory()
      // resolved at the first trim, not at start: nothing is exposed in a gateway stopped before it
      if (isFirst) (options.collectGarbage === undefined ? memoryReducingGc() : options.collectGarbage)?.()
      native?.trimMalloc()
      if (native !== null && dropPages) {
        try {
          dropExecutablePages(native)
        } catch (err) {
          dropPages = false
          log.warn({ err }, 'memory trim: cannot read the process mappings; pages are not dropped')
        }
      }
      const after = memory()
      // MB: what an operator compares with `top`
      const ms = Math.round((performance.now() - startedAt) * 10) / 10
      const fields = { beforeMb: inMegabytes(before), afterMb: inMegabytes(after), ms }
      if (isFirst) log.info(fields, 'memory trimmed after the start')
      else log.debug(fields, 'memory trimmed')
      return { before, after }
    } catch (err) {
      log.warn({ err }, 'memory trim failed')
      return null
    }
  }

  let stopped = false
  function after(ms: number, then: () => void): void {
    if (stopped) return
    timer = setTimeout(then, ms)
    timer.unref()
  }

  // A trim's GC and refaults cost a busy gateway the time an alarm would wait for (docs/performance.md:
  // alarm p99 ≤ 5 ms): it runs only after a quiet second, else it is put off.
  function whenQuiet(isFirst: boolean): void {
    const mark = utilization()
    after(QUIET_SAMPLE_MS, () => {
      const busy = utilization(mark).utilization
      if (busy > BUSY_UTILIZATION) {
        log.debug({ busy: Math.round(busy * 100) / 100 }, 'memory trim put off: the gateway is busy')
        return after(BUSY_RETRY_MS, () => whenQuiet(isFirst))
      }
      trim(isFirst)
      after(options.everyMs, () => whenQuiet(false))
    })
  }

  return {
    name: 'memory trim',
    start() {
      if (native === null && 'missing' in options.native) {
        log.warn(
          { reason: options.native.missing },
          'memory trim: gateway/native is not built, so malloc and the start-up pages are not given back (the gateway runs; its idle memory stays higher)',
        )
      }
      after(options.firstAfterMs, () => whenQuiet(true))
    },
    stop() {
      if (timer) clearTimeout(timer)
      timer = null
      stopped = true
    },
    trim,
  }
}
