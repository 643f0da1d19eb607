import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LoadedConfig } from '../config/loadConfig.js'
import { type Component, createLifecycle, TICK_MS } from './lifecycle.js'

/** Components that write what happens to them into one shared list. */
function recorder() {
  const seen: string[] = []
  const errors: { component: string }[] = []
  const log = { error: (fields: { component: string }) => errors.push({ component: fields.component }) }
  const part = (name: string, hooks: Partial<Omit<Component, 'name'>> = {}): Component => ({
    name,
    start: () => {
      seen.push(`start ${name}`)
    },
    stop: () => {
      seen.push(`stop ${name}`)
    },
    tick: (now) => {
      seen.push(`tick ${name} ${now}`)
    },
    ...hooks,
  })
  return { seen, errors, log, part }
}

describe('lifecycle', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts in order and stops in reverse order', async () => {
    const { seen, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    await life.start(part('journal'), part('broker'))
    await life.start(part('api'))
    await life.stop()
    expect(seen).toEqual(['start journal', 'start broker', 'start api', 'stop api', 'stop broker', 'stop journal'])
  })

  it('waits for each start before the next', async () => {
    const { seen, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    const slow = part('journal', {
      start: async () => {
        await Promise.resolve()
        seen.push('start journal')
      },
    })
    await life.start(slow, part('broker'))
    expect(seen).toEqual(['start journal', 'start broker'])
  })

  it('after a failed start, stops only the components whose start completed', async () => {
    const { seen, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    const failing = part('broker', {
      start: () => {
        throw new Error('EADDRINUSE')
      },
    })
    await expect(life.start(part('journal'), failing, part('api'))).rejects.toThrow('EADDRINUSE')
    await life.stop()
    expect(seen).toEqual(['start journal', 'stop journal'])
  })

  it('a stop that throws is logged, the others still stop, and the stop fails naming it', async () => {
    const { seen, errors, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    const stuck = part('sinks', {
      stop: async () => {
        throw new Error('influx unreachable')
      },
    })
    await life.start(part('journal'), stuck, part('api'))
    await expect(life.stop()).rejects.toThrow('failed to stop: sinks')
    expect(seen.filter((s) => s.startsWith('stop'))).toEqual(['stop api', 'stop journal'])
    expect(errors).toEqual([{ component: 'sinks' }])
  })

  it('components without hooks are started, ticked and stopped alike', async () => {
    const { seen, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    await life.start({ name: 'delivery' }, part('api'))
    life.startTicker()
    vi.advanceTimersByTime(TICK_MS)
    await life.stop()
    expect(seen).toEqual(['start api', 'tick api 0', 'stop api'])
  })

  it('one ticker ticks every component in start order, with the clock, each second', async () => {
    const { seen, log, part } = recorder()
    let now = 5000
    const life = createLifecycle({ now: () => now, log })
    await life.start(part('journal'), part('alarms'))
    life.startTicker()
    life.startTicker()
    // started after the ticker: ticked too
    await life.start(part('engine'))
    expect(vi.getTimerCount()).toBe(1)
    seen.length = 0
    vi.advanceTimersByTime(TICK_MS - 1)
    expect(seen).toEqual([])
    now = 6000
    vi.advanceTimersByTime(1)
    expect(seen).toEqual(['tick journal 6000', 'tick alarms 6000', 'tick engine 6000'])
    now = 7000
    vi.advanceTimersByTime(TICK_MS)
    expect(seen).toHaveLength(6)
  })

  it('stops the ticker before any component, and stops once', async () => {
    const { seen, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    const ticking = part('engine', {
      stop: () => {
        // a tick after this would find the component gone
        vi.advanceTimersByTime(TICK_MS * 3)
        seen.push('stop engine')
      },
    })
    await life.start(ticking)
    life.startTicker()
    await life.stop()
    await life.stop()
    expect(seen).toEqual(['start engine', 'stop engine'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('hands a reload to every started component in start order, past one that fails', async () => {
    const { seen, errors, log, part } = recorder()
    const life = createLifecycle({ now: () => 0, log })
    const next = { store: { id: 'next' } } as unknown as LoadedConfig
    const reloading = (name: string) =>
      part(name, {
        reload: (config) => {
          seen.push(`reload ${name} ${config.store.id}`)
        },
      })
    const failing = part('routes', {
      reload: () => {
        throw new Error('bad route')
      },
    })
    await life.start(reloading('devices'), failing, part('api'), reloading('discovery'))
    seen.length = 0
    const failed = await life.reload(next)
    expect(seen).toEqual(['reload devices next', 'reload discovery next'])
    expect(failed).toEqual(['routes'])
    expect(errors).toEqual([{ component: 'routes' }])
  })
})
