import { gpioUnavailable } from './gpioError.js'
import type {
  GpioDriver,
  GpioInputLine,
  GpioInputOptions,
  GpioOutputLine,
  GpioOutputOptions,
  LineHealth,
} from './gpioLine.js'

/**
 * In-memory GPIO lines (docs/requirements.md#simulation: "a simulated GPIO line implementation
 * for the demo panic button and siren"; docs/design.md#real-tests: fake only the hardware).
 * `set` plays the wire; outputs record every level written.
 */
export interface MemoryGpioDriver extends GpioDriver {
  /** Puts `level` on the wire of line `bcm`; watchers see it at once, as an edge. No-op when unchanged. */
  set(bcm: number, level: boolean): void
  /** The line's current raw level (what an input reads, or what an output last drove). */
  level(bcm: number): boolean
  /** Every raw level driven on output `bcm`, oldest first, the initial level included. */
  writes(bcm: number): readonly boolean[]
  /** Whether `bcm` is claimed by an open line. */
  isOpen(bcm: number): boolean
  /** Breaks line `bcm`: opens, reads and writes reject and its watcher's health goes bad until `repair`. */
  breakLine(bcm: number, detail: string): void
  repair(bcm: number): void
}

export interface MemoryGpioDriverOptions {
  /** Raw levels of lines before anything drives them; default high (an input with its pull-up and nothing closed). */
  readonly levels?: ReadonlyMap<number, boolean>
}

interface MemoryLine {
  level: boolean
  open: boolean
  broken: string | null
  readonly writes: boolean[]
  onLevel?: (level: boolean) => void
  onHealth?: (health: LineHealth) => void
}

export function createMemoryGpioDriver(options: MemoryGpioDriverOptions = {}): MemoryGpioDriver {
  const lines = new Map<number, MemoryLine>()

  function line(bcm: number): MemoryLine {
    let l = lines.get(bcm)
    if (!l) {
      l = { level: options.levels?.get(bcm) ?? true, open: false, broken: null, writes: [] }
      lines.set(bcm, l)
    }
    return l
  }

  function claim(bcm: number, health: GpioInputOptions['onHealth']): MemoryLine {
    const l = line(bcm)
    if (l.broken !== null) throw gpioUnavailable(`BCM ${bcm}: ${l.broken}`)
    if (l.open) throw gpioUnavailable(`BCM ${bcm} is busy`)
    l.open = true
    if (health) l.onHealth = health
    return l
  }

  function release(l: MemoryLine): Promise<void> {
    l.open = false
    delete l.onLevel
    delete l.onHealth
    return Promise.resolve()
  }

  function checked(l: MemoryLine, bcm: number): void {
    if (l.broken !== null) throw gpioUnavailable(`BCM ${bcm}: ${l.broken}`)
  }

  return {
    name: 'simulated',
    async openInput(bcm, opts): Promise<GpioInputLine> {
      const l = claim(bcm, opts.onHealth)
      return {
        read: async () => {
          checked(l, bcm)
          return l.level
        },
        watch: (onLevel) => {
          l.onLevel = onLevel
        },
        close: () => release(l),
      }
    },
    async openOutput(bcm, opts: GpioOutputOptions): Promise<GpioOutputLine> {
      const l = claim(bcm, opts.onHealth)
      l.level = opts.initialLevel
      l.writes.push(opts.initialLevel)
      return {
        write: async (level) => {
          checked(l, bcm)
          l.level = level
          l.writes.push(level)
        },
        close: () => release(l),
      }
    },
    async close() {
      await Promise.all([...lines.values()].filter((l) => l.open).map(release))
    },
    set(bcm, level) {
      const l = line(bcm)
      if (l.level === level) return
      l.level = level
      if (l.broken === null) l.onLevel?.(level)
    },
    level: (bcm) => line(bcm).level,
    writes: (bcm) => line(bcm).writes,
    isOpen: (bcm) => line(bcm).open,
    breakLine(bcm, detail) {
      const l = line(bcm)
      l.broken = detail
      l.onHealth?.({ ok: false, detail })
    },
    repair(bcm) {
      const l = line(bcm)
      if (l.broken === null) return
      l.broken = null
      l.onHealth?.({ ok: true, detail: 'repaired' })
    },
  }
}
