import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../../test/support/freePort.js'
import { tempDir } from '../../../test/support/tempDir.js'
import type { LoadedConfig } from '../../config/loadConfig.js'
import type { GatewayEvent } from '../../core/events.js'
import { createLogger } from '../../log.js'
import { createMetrics } from '../../metrics.js'
import { startSinks } from '../registry.js'
import type { InfluxSink } from './influxSink.js'

const dirs: ReturnType<typeof tempDir>[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove()
})

describe('the InfluxDB sink through the sinks registry', () => {
  it('takes readings from the bus, reports InfluxDB down with the backlog it buffered, and stops twice', async () => {
    const dir = tempDir('storeguard-influx-sink-')
    dirs.push(dir)
    // a loopback port nothing listens on: every write is refused at once
    const url = `http://127.0.0.1:${await freePort()}`
    const config = {
      store: { id: 'store-1' },
      storage: { dataDir: dir.path },
      influx: {
        enabled: true,
        url,
        database: 'storeguard',
        batchSize: 5000,
        flushMs: 50,
        timeoutMs: 2000,
        manageDatabase: false,
        rawRetention: '30d',
        downsampledRetention: '730d',
        bufferMaxPoints: 1000,
        probeIntervalMs: 60_000,
        deviceStatusIntervalSec: 3600,
        gatewayIntervalSec: 3600,
      },
    } as unknown as LoadedConfig
    const listeners: ((event: GatewayEvent) => void)[] = []
    const sinks = await startSinks({
      config,
      events: {
        subscribe: (listener) => {
          listeners.push(listener)
          return () => listeners.splice(listeners.indexOf(listener), 1)
        },
      },
      devices: { list: () => [] } as never,
      openAlarms: () => 0,
      metrics: createMetrics(),
      log: createLogger('silent'),
      now: Date.now,
    })
    const [sink] = sinks.sinks as InfluxSink[]
    expect(sink?.name).toBe('influx')
    expect(sink?.health()).toEqual({ state: 'up', backlog: 0 })

    for (const listener of listeners) {
      listener({
        type: 'reading',
        reading: {
          store: 'store-1',
          deviceId: 'temp-1',
          deviceType: 'temperature',
          zone: 'hall',
          metric: 'temperature',
          value: 21.5,
          ts: Date.now(),
          quality: 'good',
        },
      })
    }
    // a reading's point is finished when the message it came in is: asking for the barrier ends it
    await sinks.durable()
    await sink?.writer.flush()
    expect(sink?.health()).toEqual({ state: 'down', backlog: 1 })

    await sinks.stop()
    await expect(sinks.stop()).resolves.toBeUndefined()
    expect(listeners).toEqual([])
  })
})
