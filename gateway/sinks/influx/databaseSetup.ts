import { type InfluxDB, escape as influxEscape } from 'influx'
import type { InfluxConfig } from '../../config/influxSchema.js'
import { RETENTION_POLICIES, SENSOR_ROLLUPS } from './points.js'

type SetupSettings = Pick<InfluxConfig, 'database' | 'rawRetention' | 'downsampledRetention'>

/**
 * A continuous query recomputes this many of its past intervals each run, so
 * points that arrive a flush or two late still count (InfluxDB 1.x otherwise
 * covers only the interval that just ended).
 */
const RESAMPLE_FOR: Record<(typeof SENSOR_ROLLUPS)[number]['interval'], string> = { '1m': '5m', '1h': '2h' }

/**
 * docs/requirements.md#influxdb "Database, retention policies and downsampling are created by the
 * gateway if missing" (only with `manageDatabase`: InfluxDB 2.x/3.x v1
 * endpoints refuse these statements). Existing ones are left as the operator
 * set them. Returns what it created, for the log.
 */
export async function ensureDatabase(client: InfluxDB, config: SetupSettings): Promise<string[]> {
  const db = config.database
  const created: string[] = []
  if (!(await client.getDatabaseNames()).includes(db)) {
    // created with `raw` as its default policy, so no unused `autogen` appears
    await client.query(
      `CREATE DATABASE ${influxEscape.quoted(db)} WITH DURATION ${config.rawRetention} REPLICATION 1 NAME ${influxEscape.quoted(RETENTION_POLICIES.raw)}`,
    )
    created.push(`database ${db}`)
  }
  const policies = (await client.showRetentionPolicies(db)).map((p) => p.name)
  if (!policies.includes(RETENTION_POLICIES.raw)) {
    await client.createRetentionPolicy(RETENTION_POLICIES.raw, {
      database: db,
      duration: config.rawRetention,
      replication: 1,
      isDefault: true,
    })
    created.push(`retention policy ${RETENTION_POLICIES.raw}`)
  }
  if (!policies.includes(RETENTION_POLICIES.downsampled)) {
    await client.createRetentionPolicy(RETENTION_POLICIES.downsampled, {
      database: db,
      duration: config.downsampledRetention,
      replication: 1,
    })
    created.push(`retention policy ${RETENTION_POLICIES.downsampled}`)
  }
  const queries = await continuousQueryNames(client, db)
  for (const rollup of SENSOR_ROLLUPS) {
    if (queries.includes(rollup.measurement)) continue
    await client.createContinuousQuery(
      rollup.measurement,
      rollupSelect(db, rollup.measurement, rollup.interval, ''),
      db,
      `RESAMPLE FOR ${RESAMPLE_FOR[rollup.interval]}`,
    )
    created.push(`continuous query ${rollup.measurement}`)
  }
  return created
}

/** `SHOW CONTINUOUS QUERIES` lists every database, one series each (node-influx keeps only the first). */
async function continuousQueryNames(client: InfluxDB, db: string): Promise<string[]> {
  const raw = (await client.queryRaw('SHOW CONTINUOUS QUERIES')) as {
    results?: { series?: { name: string; values?: unknown[][] }[] }[]
  }
  const series = raw.results?.[0]?.series?.find((s) => s.name === db)
  return (series?.values ?? []).map((row) => String(row[0]))
}

/**
 * After a replay, the roll-ups of the replayed time range are computed once
 * by hand: the continuous queries only look back RESAMPLE_FOR, and an outage
 * can be longer (docs/requirements.md#no-data-loss: nothing lost, downsampled data included).
 */
export async function backfillRollups(client: InfluxDB, database: string, fromMs: number, toMs: number): Promise<void> {
  for (const rollup of SENSOR_ROLLUPS) {
    const stepMs = rollup.interval === '1m' ? 60_000 : 3_600_000
    const from = Math.floor(fromMs / stepMs) * stepMs
    // intervals still open are the continuous query's (it resamples them when they end)
    const to = Math.floor(toMs / stepMs) * stepMs
    if (from >= to) continue
    const where = `WHERE time >= ${from}ms AND time < ${to}ms`
    await client.query(rollupSelect(database, rollup.measurement, rollup.interval, where), { database })
  }
}

function rollupSelect(db: string, measurement: string, interval: string, where: string): string {
  const into = `${influxEscape.quoted(db)}.${influxEscape.quoted(RETENTION_POLICIES.downsampled)}.${influxEscape.quoted(measurement)}`
  const from = `${influxEscape.quoted(db)}.${influxEscape.quoted(RETENTION_POLICIES.raw)}."sensor"`
  return `SELECT mean(*) INTO ${into} FROM ${from} ${where} GROUP BY time(${interval}), *`
}
