import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { InfluxConfig } from '../gateway/config/influxSchema.js'
import { createLogger, type Logger } from '../gateway/log.js'
import { createMetrics } from '../gateway/metrics.js'
import { createInfluxWriter, type InfluxWriter } from '../gateway/sinks/influx/influxWriter.js'
import type { TelemetryPoint } from '../gateway/sinks/influx/points.js'
import { createSelfTelemetry } from '../gateway/sinks/influx/selfTelemetry.js'
import type { DropReason } from '../gateway/sinks/influx/writeBatch.js'
import { eventually } from './support/api.js'
import { type Influxd, startInfluxd } from './support/influxd.js'
import { startInfluxProxy } from './support/influxProxy.js'
import { makeServerCertificates } from './support/serverCertificates.js'
import { tempDir } from './support/tempDir.js'

const silent = pino({ level: 'silent' })

// biome-ignore lint/suspicious/noExplicitAny: rows come back as InfluxDB returns them; each test asserts the columns it uses
type Row = Record<string, any>

/** A logger whose JSON lines the test reads (STYLE: pino with an injected destination). */
function recordingLog(): { log: Logger; lines: Row[] } {
  const lines: Row[] = []
  return { log: createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) }), lines }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

function writerConfig(url: string, database: string, overrides: Partial<InfluxConfig> = {}): InfluxConfig {
  return {
    enabled: true,
    url,
    database,
    batchSize: 5000,
    flushMs: 50,
    timeoutMs: 2000,
    manageDatabase: true,
    rawRetention: '30d',
    downsampledRetention: '730d',
    bufferMaxPoints: 100_000,
    probeIntervalMs: 100,
    deviceStatusIntervalSec: 60,
    gatewayIntervalSec: 10,
    ...overrides,
  }
}

const temperature = (i: number, ts: number, device = 'temp-1'): TelemetryPoint => ({
  measurement: 'sensor',
  tags: { store: 's1', device, type: 'temperature', zone: 'hall' },
  fields: { temperature: i },
  ts,
})

const alarm = (i: number, ts: number): TelemetryPoint => ({
  measurement: 'alarm',
  tags: { store: 's1', kind: 'fire', severity: 'critical', device: 'smoke-1', zone: 'hall' },
  fields: { action: 'raised', alarm_id: `a${i}`, open: 1 },
  ts,
})

describe('the InfluxDB writer against a real influxd', () => {
  const dir = tempDir('storeguard-influx-')
  let influxd: Influxd
  const writers: InfluxWriter[] = []
  const drops: Partial<Record<DropReason, number>> = {}
  const start = (
    database: string,
    overrides: Partial<InfluxConfig> = {},
    { dataDir = `${dir.path}/${database}`, log = silent }: { dataDir?: string; log?: Logger } = {},
  ) => {
    const w = createInfluxWriter({
      config: writerConfig(influxd.url, database, overrides),
      dataDir,
      log,
      onDropped: (reason, n) => {
        drops[reason] = (drops[reason] ?? 0) + n
      },
    })
    writers.push(w)
    return w
  }
  const values = async (database: string, device = 'temp-1') =>
    (
      await influxd
        .client(database)
        .query<{ temperature: number }>(`SELECT temperature FROM sensor WHERE device = '${device}'`)
    ).map((r) => r.temperature)

  const continuousQueries = async (database: string): Promise<string[]> => {
    const series = (await influxd.client(database).queryRaw('SHOW CONTINUOUS QUERIES')).results[0].series as {
      name: string
      values?: string[][]
    }[]
    return (series.find((s) => s.name === database)?.values ?? []).map((row) => row[0] as string).sort()
  }

  beforeAll(async () => {
    influxd = await startInfluxd(dir.path)
  })
  afterEach(async () => {
    for (const w of writers.splice(0)) await w.stop()
    for (const k of Object.keys(drops)) delete drops[k as DropReason]
    if (!influxd.running) await influxd.start()
  })
  afterAll(async () => {
    await influxd.stop()
    dir.remove()
  })

  it('creates the database, the raw and downsampled retention policies and the roll-up queries when they are missing', async () => {
    const writer = start('sg_manage')
    writer.add(temperature(21.5, Date.now()))
    await writer.flush()
    const client = influxd.client('sg_manage')
    expect(await client.getDatabaseNames()).toContain('sg_manage')
    const policies = await client.showRetentionPolicies('sg_manage')
    expect(policies.map((p) => [p.name, p.duration, p.default])).toEqual([
      ['raw', '720h0m0s', true],
      ['downsampled', '17520h0m0s', false],
    ])
    expect(await continuousQueries('sg_manage')).toEqual(['sensor_1h', 'sensor_1m'])
    expect(await values('sg_manage')).toEqual([21.5])

    // a second start finds everything in place and creates nothing twice
    const again = start('sg_manage', {}, { dataDir: `${dir.path}/sg_manage_2` })
    again.add(temperature(22, Date.now() + 1))
    await again.flush()
    expect(await continuousQueries('sg_manage')).toEqual(['sensor_1h', 'sensor_1m'])
    expect(await values('sg_manage')).toEqual([21.5, 22])
  })

  it('creates nothing when manageDatabase is off, and keeps points on disk until the database exists', async () => {
    const writer = start('sg_unmanaged', { manageDatabase: false })
    const t0 = Date.now()
    for (let i = 0; i < 5; i++) writer.add(temperature(i, t0 + i))
    await writer.flush()
    const client = influxd.client('sg_unmanaged')
    expect(await client.getDatabaseNames()).not.toContain('sg_unmanaged')
    expect(writer.stats()).toMatchObject({ state: 'down', bufferPoints: 5 })

    await client.createDatabase('sg_unmanaged') // as the operator of an InfluxDB 2.x / 3.x would
    await eventually(async () => (writer.stats().bufferPoints === 0 ? true : undefined), 15_000, 'the replay')
    expect(await values('sg_unmanaged')).toEqual([0, 1, 2, 3, 4])
    expect((await client.showRetentionPolicies('sg_unmanaged')).map((p) => p.name)).toEqual(['autogen'])
    expect(await continuousQueries('sg_unmanaged')).toEqual([])
  })

  it('drops, counts and logs a point with a conflicting field type while the rest of its batch lands', async () => {
    const { log, lines } = recordingLog()
    const writer = start('sg_conflict', {}, { log })
    const t0 = Date.now()
    writer.add(temperature(20, t0))
    await writer.flush()
    for (let i = 1; i <= 9; i++) writer.add(temperature(20 + i, t0 + i))
    writer.add({ ...temperature(0, t0 + 5, 'temp-1'), fields: { temperature: 'hot' }, ts: t0 + 100 })
    await writer.flush()
    expect(await values('sg_conflict')).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29])
    expect(drops).toEqual({ field_type_conflict: 1 })
    expect(writer.stats()).toMatchObject({ state: 'up', bufferPoints: 0, writtenPoints: 10 })
    const warnings = lines.filter((l) => l.level === 40)
    expect(warnings).toEqual([
      expect.objectContaining({
        mod: 'influx',
        msg: 'InfluxDB rejected points: dropped',
        dropped: { field_type_conflict: 1 },
        detail: expect.stringMatching(/^400: partial write: field type conflict: .*"temperature".* dropped=1$/),
      }),
    ])
  })

  it('splits a batch InfluxDB finds too large until it lands, and drops only a point too large alone', async () => {
    const small = await startInfluxd(dir.path, { maxBodySize: 3000 })
    try {
      const writer = createInfluxWriter({
        config: writerConfig(small.url, 'sg_split'),
        dataDir: `${dir.path}/sg_split`,
        log: silent,
        onDropped: (reason, n) => {
          drops[reason] = (drops[reason] ?? 0) + n
        },
      })
      writers.push(writer)
      const t0 = Date.now()
      for (let i = 0; i < 60; i++) writer.add(temperature(i, t0 + i))
      writer.add({ ...temperature(0, t0 + 60), fields: { note: 'x'.repeat(4000) } })
      for (let i = 61; i < 100; i++) writer.add(temperature(i, t0 + i))
      await writer.flush()
      const landed = (
        await small.client('sg_split').query<{ temperature: number }>('SELECT temperature FROM sensor')
      ).map((r) => r.temperature)
      expect(landed).toEqual([
        ...Array.from({ length: 60 }, (_, i) => i),
        ...Array.from({ length: 39 }, (_, i) => 61 + i),
      ])
      expect(drops).toEqual({ rejected: 1 })
    } finally {
      await small.stop()
    }
  })

  it('keeps writing to disk while influxd is down and replays in order, with live points behind the replay', async () => {
    const writer = start('sg_outage', { batchSize: 40 })
    const t0 = Date.now() - 20 * 60_000 // old enough that only the backfill can roll these minutes up
    let i = 0
    const send = async (n: number) => {
      for (const end = i + n; i < end; i++) {
        writer.add(temperature(i, t0 + i * 2000))
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5))
      }
    }
    await send(50)
    await writer.flush()
    expect(writer.stats().writtenPoints).toBe(50)

    await influxd.stop()
    await send(200)
    await writer.flush()
    expect(writer.stats()).toMatchObject({ state: 'down', bufferPoints: 200 })
    expect(writer.stats().bufferAgeSec).toBeGreaterThanOrEqual(0)

    await influxd.start()
    await send(100) // live, while the probe notices and the replay runs
    await eventually(
      async () => (writer.stats().bufferPoints === 0 && writer.stats().state === 'up' ? true : undefined),
      15_000,
      'the replay',
    )
    await send(50)
    await writer.flush()
    expect(await values('sg_outage')).toEqual(Array.from({ length: 400 }, (_, k) => k))
    expect(drops).toEqual({})
    expect(await continuousQueries('sg_outage')).toEqual(['sensor_1h', 'sensor_1m'])

    // the minute of point 100 was written only by the replay, and is older than any continuous query looks back
    const minute = Math.floor((t0 + 100 * 2000) / 60_000) * 60_000
    const inMinute = Array.from({ length: 400 }, (_, k) => k).filter(
      (k) => Math.floor((t0 + k * 2000) / 60_000) * 60_000 === minute,
    )
    const rolledUp = await eventually(
      async () => {
        const rows = await influxd
          .client('sg_outage')
          .query<{ mean_temperature: number }>(
            `SELECT mean_temperature FROM "downsampled"."sensor_1m" WHERE time = ${minute}ms`,
          )
        return rows[0]
      },
      15_000,
      'the roll-up backfill',
    )
    expect(rolledUp.mean_temperature).toBeCloseTo(inMinute.reduce((a, b) => a + b, 0) / inMinute.length)
  })

  it('hands what it could not send at stop to the next writer on the same data dir', async () => {
    const dataDir = `${dir.path}/sg_handover`
    const first = start('sg_handover', {}, { dataDir })
    await first.flush()
    await influxd.stop()
    const t0 = Date.now()
    for (let i = 0; i < 30; i++) first.add(temperature(i, t0 + i))
    await first.stop()
    expect(first.stats().bufferPoints).toBe(30)

    await influxd.start()
    const second = start('sg_handover', {}, { dataDir })
    await eventually(async () => (second.stats().bufferPoints === 0 ? true : undefined), 15_000, 'the replay')
    expect(await values('sg_handover')).toEqual(Array.from({ length: 30 }, (_, k) => k))
  })

  it('writes with a username and password, and keeps points on disk while the credentials are refused', async () => {
    const admin = { username: 'storeguard', password: 'influx-secret-42' }
    const secured = await startInfluxd(dir.path, { admin })
    try {
      const wrong = createInfluxWriter({
        config: writerConfig(secured.url, 'sg_auth', { ...admin, password: 'wrong' }),
        dataDir: `${dir.path}/sg_auth_wrong`,
        log: silent,
      })
      writers.push(wrong)
      const t0 = Date.now()
      wrong.add(temperature(1, t0))
      await wrong.flush()
      expect(wrong.stats()).toMatchObject({ state: 'down', bufferPoints: 1 })

      const right = createInfluxWriter({
        config: writerConfig(secured.url, 'sg_auth', admin),
        dataDir: `${dir.path}/sg_auth_right`,
        log: silent,
      })
      writers.push(right)
      right.add(temperature(2, t0 + 1))
      await right.flush()
      const landed = await secured.client('sg_auth').query<{ temperature: number }>('SELECT temperature FROM sensor')
      expect(landed.map((r) => r.temperature)).toEqual([2])
    } finally {
      await secured.stop()
    }
  })

  it('writes a full batch at once without waiting for flushMs, and holds a smaller remainder for the timer', async () => {
    const writer = start('sg_size', { batchSize: 10, flushMs: 600_000 })
    await writer.flush() // the database is in place before the points come
    const t0 = Date.now()
    for (let i = 0; i < 25; i++) writer.add(temperature(i, t0 + i))
    await eventually(async () => ((await values('sg_size')).length >= 20 ? true : undefined), 10_000, '2 full batches')
    expect(await values('sg_size')).toEqual(range(0, 20))
    expect(writer.stats().writtenPoints).toBe(20)
    await writer.flush()
    expect(await values('sg_size')).toEqual(range(0, 25))
  })

  it('a point whose tag and string values hold line breaks and backslashes lands whole, with its neighbours', async () => {
    const writer = start('sg_newlines')
    const t0 = Date.now()
    writer.add(temperature(1, t0))
    writer.add({
      measurement: 'ticket',
      tags: { store: 's1', device: 'C:\\terminals\\1', zone: 'hall\nnorth' },
      fields: { action: 'opened', note: 'line one\r\nline two, "quoted" \\ end' },
      ts: t0 + 1,
    })
    writer.add(temperature(2, t0 + 2))
    await writer.flush()
    const rows = (await influxd.client('sg_newlines').query<Row>('SELECT * FROM ticket')) as Row[]
    // InfluxDB has no escape for a line break: it is stored as the two characters \n (or \r)
    expect(rows.map(({ time: _time, ...row }) => row)).toEqual([
      {
        store: 's1',
        device: 'C:\\terminals\\1',
        zone: 'hall\\nnorth',
        action: 'opened',
        note: 'line one\\r\\nline two, "quoted" \\ end',
      },
    ])
    expect(await values('sg_newlines')).toEqual([1, 2])
    expect(drops).toEqual({})
  })

  it('a 503 from a proxy in front of InfluxDB buffers the batch, and the probe replays it once writes go through', async () => {
    const proxy = await startInfluxProxy(influxd.url)
    try {
      const writer = start('sg_503', { url: proxy.url })
      const t0 = Date.now()
      writer.add(temperature(0, t0))
      await writer.flush()
      expect(await values('sg_503')).toEqual([0])

      proxy.answerWith(503)
      for (let i = 1; i <= 5; i++) writer.add(temperature(i, t0 + i))
      await writer.flush()
      expect(writer.stats()).toMatchObject({ state: 'down', bufferPoints: 5, writtenPoints: 1 })
      expect(proxy.refused).toBeGreaterThan(0)

      proxy.answerWith(null)
      await eventually(
        async () => (writer.stats().bufferPoints === 0 && writer.stats().state === 'up' ? true : undefined),
        15_000,
        'the replay',
      )
      expect(await values('sg_503')).toEqual(range(0, 6))
      expect(drops).toEqual({})
    } finally {
      await proxy.close()
    }
  })

  it('while InfluxDB is down, durable() resolves once what was added is in the disk buffer, long before flushMs', async () => {
    const proxy = await startInfluxProxy(influxd.url)
    try {
      const writer = start('sg_durable', { url: proxy.url, flushMs: 600_000, probeIntervalMs: 600_000 })
      const t0 = Date.now()
      writer.add(temperature(0, t0))
      // InfluxDB takes writes: nothing to wait for, at most flushMs of points are only in memory
      expect(writer.durable()).toBeNull()
      await writer.flush()

      proxy.answerWith(503)
      writer.add(temperature(1, t0 + 1))
      await writer.flush()
      expect(writer.stats()).toMatchObject({ state: 'down', bufferPoints: 1 })

      for (let i = 2; i < 5; i++) writer.add(temperature(i, t0 + i))
      const onDisk = writer.durable()
      expect(onDisk).not.toBeNull()
      expect(writer.durable()).toBe(onDisk) // one commit for the whole tick
      await onDisk
      expect(writer.stats().bufferPoints).toBe(4)
      expect(writer.durable()).toBeNull()
    } finally {
      await proxy.close()
    }
  })

  it('with a small buffer and InfluxDB down, the oldest telemetry is dropped and counted, and every alarm lands', async () => {
    const metrics = createMetrics()
    let writer: InfluxWriter | null = null
    const telemetry = createSelfTelemetry({ metrics, writer: () => writer, openAlarms: () => 0, now: Date.now })
    try {
      // as the sink wires it: every drop reaches the /metrics counter
      const w = createInfluxWriter({
        config: writerConfig(influxd.url, 'sg_bound', { bufferMaxPoints: 100 }),
        dataDir: `${dir.path}/sg_bound`,
        log: silent,
        onDropped: (reason, n) => {
          drops[reason] = (drops[reason] ?? 0) + n
          telemetry.dropped(reason, n)
        },
      })
      writer = w
      writers.push(w)
      await w.flush() // database and policies in place while influxd is up
      await influxd.stop()
      const t0 = Date.now() - 60_000
      // 150 readings, an alarm after every 10th: 165 points for a buffer of 100
      for (let i = 0; i < 150; i++) {
        w.add(temperature(i, t0 + i * 10))
        if (i % 10 === 9) w.add(alarm(i, t0 + i * 10 + 1))
      }
      await w.flush()
      expect(w.stats()).toMatchObject({ state: 'down', bufferPoints: 100 })

      await influxd.start()
      await eventually(
        async () => (w.stats().bufferPoints === 0 && w.stats().state === 'up' ? true : undefined),
        15_000,
        'the replay',
      )
      const alarms = await influxd.client('sg_bound').query<{ alarm_id: string }>('SELECT alarm_id FROM alarm')
      expect(alarms.map((a) => a.alarm_id)).toEqual(range(0, 15).map((k) => `a${k * 10 + 9}`))
      expect(await values('sg_bound')).toEqual(range(65, 150))
      expect(drops).toEqual({ buffer_full: 65 })
      expect(await metrics.registry.metrics()).toMatch(
        /^storeguard_influx_dropped_points_total\{reason="buffer_full"\} 65$/m,
      )
    } finally {
      telemetry.stop()
    }
  })

  describe('over https', () => {
    const certs = makeServerCertificates(join(dir.path, 'certs'))
    let secure: Influxd
    beforeAll(async () => {
      secure = await startInfluxd(dir.path, { tls: certs })
    })
    afterAll(async () => {
      await secure?.stop()
    })
    const startOn = (database: string, overrides: Partial<InfluxConfig>, dataDir: string, log: Logger = silent) => {
      const w = createInfluxWriter({ config: writerConfig(secure.url, database, overrides), dataDir, log })
      writers.push(w)
      return w
    }

    it('sets up the database and writes trusting influx.ca; points read back over https', async () => {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:/)
      const writer = startOn('sg_tls', { ca: certs.ca }, `${dir.path}/sg_tls`)
      const t0 = Date.now()
      for (let i = 0; i < 5; i++) writer.add(temperature(i, t0 + i))
      await writer.flush()
      expect(writer.stats()).toMatchObject({ state: 'up', bufferPoints: 0, writtenPoints: 5 })
      const client = secure.client('sg_tls')
      expect((await client.showRetentionPolicies('sg_tls')).map((p) => p.name)).toEqual(['raw', 'downsampled'])
      const landed = await client.query<{ temperature: number }>('SELECT temperature FROM sensor')
      expect(landed.map((r) => r.temperature)).toEqual(range(0, 5))
    })

    it('refuses a server the configured CA did not sign, keeps the points on disk, and they land once the right CA is set', async () => {
      const dataDir = `${dir.path}/sg_tls_ca`
      const { log, lines } = recordingLog()
      const wrong = startOn('sg_tls_ca', { ca: certs.otherCa }, dataDir, log)
      const t0 = Date.now()
      for (let i = 0; i < 5; i++) wrong.add(temperature(i, t0 + i))
      await wrong.flush()
      expect(wrong.stats()).toMatchObject({ state: 'down', bufferPoints: 5, writtenPoints: 0 })
      const unreachable = lines.find((l) => l.msg === 'InfluxDB unreachable: buffering to disk')
      expect(String(unreachable?.detail)).toMatch(/certificate/i)
      await wrong.stop()
      expect(await secure.client().getDatabaseNames()).not.toContain('sg_tls_ca')

      // the operator fixes influx.ca; the gateway restarts on the same data dir
      const right = startOn('sg_tls_ca', { ca: certs.ca }, dataDir)
      right.add(temperature(5, t0 + 5))
      await eventually(async () => (right.stats().bufferPoints === 0 ? true : undefined), 15_000, 'the replay')
      await right.flush()
      const landed = await secure.client('sg_tls_ca').query<{ temperature: number }>('SELECT temperature FROM sensor')
      expect(landed.map((r) => r.temperature)).toEqual(range(0, 6))
    })

    it('without influx.ca the server is refused, unless rejectUnauthorized is off', async () => {
      const strict = startOn('sg_tls_strict', {}, `${dir.path}/sg_tls_strict`)
      strict.add(temperature(1, Date.now()))
      await strict.flush()
      expect(strict.stats()).toMatchObject({ state: 'down', bufferPoints: 1 })

      const lax = startOn('sg_tls_lax', { rejectUnauthorized: false }, `${dir.path}/sg_tls_lax`)
      lax.add(temperature(2, Date.now()))
      await lax.flush()
      expect(lax.stats()).toMatchObject({ state: 'up', bufferPoints: 0, writtenPoints: 1 })
    })
  })
})
