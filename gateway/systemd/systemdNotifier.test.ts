import { describe, expect, it } from 'vitest'
import { createLogger } from '../log.js'
import { createSystemdNotifier, type IntervalTimers, type SystemdNotifierOptions } from './systemdNotifier.js'
import { watchdogIntervalMs } from './watchdogInterval.js'

const SYSTEMD_ENV = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '4242' }

/** A notifier wired to hand-driven timers, a recording spawn and a log that tests read. */
function harness(overrides: Partial<SystemdNotifierOptions> = {}) {
  const sent: string[][] = []
  const logs: { level: number; msg: string; notification?: string; suppressed?: number }[] = []
  const intervals: { callback: () => void; ms: number; cleared: boolean }[] = []
  let clock = 0
  const timers: IntervalTimers = {
    setInterval(callback, ms) {
      intervals.push({ callback, ms, cleared: false })
      return intervals.length - 1
    },
    clearInterval(handle) {
      const interval = intervals[handle as number]
      if (interval) interval.cleared = true
    },
  }
  const notifier = createSystemdNotifier({
    log: createLogger('info', { write: (line: string) => logs.push(JSON.parse(line)) }),
    env: SYSTEMD_ENV,
    pid: 4242,
    timers,
    now: () => clock,
    spawn: async (fields) => {
      sent.push([...fields])
    },
    ...overrides,
  })
  const tick = () => {
    for (const i of intervals) if (!i.cleared) i.callback()
  }
  const advance = (ms: number) => {
    clock += ms
  }
  return { notifier, sent, logs, intervals, tick, advance }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('systemd notifications', () => {
  it('do nothing at all when systemd did not start the gateway', async () => {
    const h = harness({ env: {} })
    h.notifier.ready('up')
    await h.notifier.stopping()
    expect(h.notifier.enabled).toBe(false)
    expect(h.sent).toEqual([])
    expect(h.intervals).toEqual([])
  })

  it('say READY=1 with a status once started, then ping the watchdog every half WatchdogSec', async () => {
    const h = harness()
    h.notifier.ready('store s1, API http://127.0.0.1:8080')
    expect(h.intervals.map((i) => i.ms)).toEqual([15_000])
    h.tick()
    await settle()
    h.tick()
    await settle()
    expect(h.sent).toEqual([['READY=1', 'STATUS=store s1, API http://127.0.0.1:8080'], ['WATCHDOG=1'], ['WATCHDOG=1']])
  })

  it('say RELOADING=1 with the monotonic time during a config reload, then READY=1 again', async () => {
    const h = harness()
    h.notifier.ready('up')
    await h.notifier.reloading()
    h.notifier.reloaded('config reloaded')
    await settle()
    const [reloading, ready] = h.sent.slice(-2)
    expect(reloading?.[0]).toBe('RELOADING=1')
    expect(reloading?.[1]).toMatch(/^MONOTONIC_USEC=\d+$/)
    expect(ready).toEqual(['READY=1', 'STATUS=config reloaded'])
  })

  it('send STOPPING=1 on the way down and stop pinging', async () => {
    const h = harness()
    h.notifier.ready('up')
    await h.notifier.stopping()
    expect(h.sent.at(-1)).toEqual(['STOPPING=1', 'STATUS=stopping'])
    expect(h.intervals.every((i) => i.cleared)).toBe(true)
    h.notifier.ready('again')
    expect(h.sent).toHaveLength(2)
  })

  it('skip a ping while the previous one is still running, and say so at a bounded rate', async () => {
    const pending: (() => void)[] = []
    const h = harness({
      spawn: (fields) => {
        h.sent.push([...fields])
        return fields[0] === 'WATCHDOG=1' ? new Promise<void>((resolve) => pending.push(resolve)) : Promise.resolve()
      },
    })
    h.notifier.ready('up')
    h.tick()
    h.tick()
    h.tick()
    expect(h.sent.filter((f) => f[0] === 'WATCHDOG=1')).toHaveLength(1)
    expect(h.logs.filter((l) => l.msg === 'previous watchdog ping still running, skipped one')).toHaveLength(1)
    for (const resolve of pending) resolve()
    await settle()
    h.tick()
    expect(h.sent.filter((f) => f[0] === 'WATCHDOG=1')).toHaveLength(2)
  })

  it('log a failing systemd-notify at a bounded rate instead of throwing', async () => {
    const h = harness({
      spawn: async () => {
        throw Object.assign(new Error('spawn systemd-notify ENOENT'), { code: 'ENOENT' })
      },
    })
    h.notifier.ready('up')
    for (let i = 0; i < 5; i++) {
      h.tick()
      await settle()
    }
    h.advance(60_000)
    h.tick()
    await settle()
    await expect(h.notifier.stopping()).resolves.toBeUndefined()
    const failures = h.logs.filter((l) => l.msg === 'systemd notification failed')
    expect(failures.map((l) => [l.notification, l.suppressed])).toEqual([
      ['READY=1', 0],
      ['WATCHDOG=1', 0],
      ['WATCHDOG=1', 4],
      ['STOPPING=1', 0],
    ])
  })

  it('withhold the ping when a liveness check fails, so systemd restarts the gateway', async () => {
    let alive = true
    const h = harness({ isAlive: () => alive })
    h.notifier.ready('up')
    h.tick()
    await settle()
    alive = false
    h.tick()
    await settle()
    expect(h.sent.filter((f) => f[0] === 'WATCHDOG=1')).toHaveLength(1)
    expect(h.logs.some((l) => l.msg === 'liveness check failed, watchdog ping withheld')).toBe(true)
  })
})

describe('the watchdog interval', () => {
  it('is half of WATCHDOG_USEC, in milliseconds', () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 1)).toBe(15_000)
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '400000', WATCHDOG_PID: '7' }, 7)).toBe(200)
  })

  it('is absent without a watchdog, with a bad value, or when the watchdog belongs to another process', () => {
    expect(watchdogIntervalMs({}, 1)).toBeUndefined()
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '0' }, 1)).toBeUndefined()
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '30s' }, 1)).toBeUndefined()
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '8' }, 7)).toBeUndefined()
  })
})
