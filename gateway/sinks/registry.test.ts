import { describe, expect, it } from 'vitest'
import type { LoadedConfig } from '../config/loadConfig.js'
import { influxSinkKind } from './influx/influxSinkKind.js'
import { startSinks } from './registry.js'
import type { Sink, SinkDeps, SinkKind } from './sink.js'

const deps = { config: {} } as unknown as SinkDeps

/** A sink whose barrier the test resolves by hand, recording when it stops. */
function fake(name: string, calls: string[], options: { on?: boolean; barrier?: boolean } = {}) {
  let release: () => void = () => undefined
  const barrier = new Promise<void>((resolve) => {
    release = resolve
  })
  const sink: Sink = {
    name,
    wants: () => true,
    durable: () => (options.barrier ? barrier : null),
    health: () => ({ state: 'up', backlog: 0 }),
    stop: async () => void calls.push(`stop ${name}`),
  }
  const kind: SinkKind = {
    name,
    configured: () => options.on ?? true,
    start: async () => {
      calls.push(`start ${name}`)
      return sink
    },
  }
  return { kind, release }
}

describe('the sinks registry', () => {
  it('starts only the configured sinks, and stops them in reverse order', async () => {
    const calls: string[] = []
    const sinks = await startSinks(deps, [
      fake('a', calls).kind,
      fake('off', calls, { on: false }).kind,
      fake('b', calls).kind,
    ])
    expect(sinks.sinks.map((s) => s.name)).toEqual(['a', 'b'])
    await sinks.stop()
    expect(calls).toEqual(['start a', 'start b', 'stop b', 'stop a'])
  })

  it('has no barrier while no sink waits for anything', async () => {
    const sinks = await startSinks(deps, [fake('a', []).kind])
    expect(sinks.durable()).toBeNull()
    expect((await startSinks(deps, [])).durable()).toBeNull()
  })

  it('holds the barrier until every sink that waits is done', async () => {
    const a = fake('a', [], { barrier: true })
    const b = fake('b', [], { barrier: true })
    const sinks = await startSinks(deps, [a.kind, fake('quiet', []).kind, b.kind])
    let passed = false
    const barrier = sinks.durable()?.then(() => (passed = true))
    a.release()
    await Promise.resolve()
    await Promise.resolve()
    expect(passed).toBe(false)
    b.release()
    await barrier
    expect(passed).toBe(true)
  })

  it('turns InfluxDB on with influx.enabled', () => {
    const config = (enabled: boolean) => ({ influx: { enabled } }) as unknown as LoadedConfig
    expect([influxSinkKind.configured(config(true)), influxSinkKind.configured(config(false))]).toEqual([true, false])
  })
})
