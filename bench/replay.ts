import type { InfluxConfig } from '../gateway/config/influxSchema.js'
import { createLogger } from '../gateway/log.js'
import { createInfluxWriter } from '../gateway/sinks/influx/influxWriter.js'
import type { TelemetryPoint } from '../gateway/sinks/influx/points.js'
import { freePort } from '../test/support/freePort.js'
import { countLanded } from './influxCount.js'

function writerConfig(url: string, database: string): InfluxConfig {
  return {
    enabled: true,
    url,
    database,
    batchSize: 5000,
    flushMs: 1000,
    timeoutMs: 10_000,
    manageDatabase: true,
    rawRetention: '30d',
    downsampledRetention: '730d',
    bufferMaxPoints: 2_000_000,
    probeIntervalMs: 50,
    deviceStatusIntervalSec: 3600,
    gatewayIntervalSec: 3600,
  }
}

/**
 * Replay (docs/requirements.md#benchmarks): `points` readings go into the gateway's own InfluxDB
 * writer while nothing listens (all of them into the SQLite disk buffer, as
 * during an outage); a second writer on the same data dir then finds
 * InfluxDB and replays the buffer. Timed from that writer's start until the
 * buffer is empty and every point is counted in InfluxDB.
 */
export async function measureReplay(
  influxUrl: string,
  database: string,
  dataDir: string,
  points: number,
): Promise<{ points: number; ms: number; perSec: number }> {
  const log = createLogger('silent')
  const nowhere = `http://127.0.0.1:${await freePort()}`
  const down = createInfluxWriter({ config: writerConfig(nowhere, database), dataDir, log })
  const t0 = Date.now() - points
  for (let i = 0; i < points; i++) {
    const point: TelemetryPoint = {
      measurement: 'sensor',
      tags: { store: 'bench', device: `json-${String(i % 200).padStart(3, '0')}`, type: 'temperature', zone: 'hall' },
      fields: { temperature: 20 + (i % 100) / 10 },
      ts: t0 + i,
    }
    down.add(point)
    // let the pump cut batches and spill them, as it would under live load
    if (i % 5000 === 4999) await new Promise((r) => setImmediate(r))
  }
  await down.flush()
  await down.stop()

  const started = performance.now()
  const up = createInfluxWriter({ config: writerConfig(influxUrl, database), dataDir, log })
  for (;;) {
    if (up.stats().bufferPoints === 0 && (await countLanded(influxUrl, database)) >= points) break
    await new Promise((r) => setTimeout(r, 50))
  }
  const ms = performance.now() - started
  await up.stop()
  return { points, ms, perSec: (points / ms) * 1000 }
}
