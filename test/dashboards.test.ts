import { readdirSync, readFileSync } from 'node:fs'
import type { InfluxDB } from 'influx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { DEMO_STORES, type DemoHour, writeDemoHour } from './support/dashboardData.js'
import { type Influxd, startInfluxd } from './support/influxd.js'
import { tempDir } from './support/tempDir.js'

/**
 * The dashboards' acceptance check (docs/requirements.md#influxdb): every panel query in every dashboard JSON is executed
 * (the files Grafana loads, generated from dashboards/src/; test/dashboardsGenerated.test.ts keeps them current)
 * against the real influxd after a simulated hour of demo data (written with
 * the gateway's own point functions) and returns rows — so a misspelt
 * measurement, field, tag or function fails here, not on a facilities team's
 * wall screen.
 */

const DASHBOARDS = new URL('../dashboards/', import.meta.url)
const DATASOURCE_UID = 'storeguard-influx'
const DATABASE = 'storeguard'

interface DataSourceRef {
  readonly type?: string
  readonly uid?: string
}

interface Target {
  readonly refId?: string
  readonly datasource?: DataSourceRef
  readonly rawQuery?: boolean
  readonly query?: string
  readonly resultFormat?: string
  readonly hide?: boolean
  /** Server-side expressions (datasource `__expr__`). */
  readonly type?: string
  readonly expression?: string
}

interface Panel {
  readonly id?: number
  readonly type?: string
  readonly title?: string
  readonly datasource?: DataSourceRef | null
  readonly interval?: string
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number }
  readonly targets?: readonly Target[]
  /** Collapsed rows keep their panels here. */
  readonly panels?: readonly Panel[]
}

interface Variable {
  readonly name?: string
  readonly type?: string
  readonly datasource?: DataSourceRef
  readonly query?: string | { readonly query?: string }
  readonly multi?: boolean
  readonly includeAll?: boolean
}

interface Dashboard {
  readonly uid?: string
  readonly title?: string
  readonly schemaVersion?: number
  readonly templating?: { readonly list?: readonly Variable[] }
  readonly panels?: readonly Panel[]
}

const files = readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .sort()
const dashboards = files.map((file) => ({
  file,
  json: JSON.parse(readFileSync(new URL(file, DASHBOARDS), 'utf8')) as Dashboard,
}))

/** Every panel, rows' nested panels included; rows themselves are left out. */
function panelsOf(d: Dashboard): Panel[] {
  const out: Panel[] = []
  for (const p of d.panels ?? []) {
    if (p.type === 'row') out.push(...(p.panels ?? []))
    else out.push(p)
  }
  return out
}

const isExpression = (t: Target): boolean => t.datasource?.type === '__expr__'

// ------------------------------------------------------ Grafana's interpolation

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
}

/** The `store` variable with every demo store selected, formatted as Grafana does for a multi-value InfluxDB variable. */
const STORE_REGEX = `(${DEMO_STORES.map(escapeRegex).join('|')})`

/** What Grafana sends for `query`: its macros and the dashboard variables replaced. */
function interpolate(query: string, panel: Panel, hour: DemoHour): string {
  const interval = panel.interval ?? '1m'
  return query
    .replaceAll('$timeFilter', `time >= ${hour.start - 5 * 60_000}ms and time <= ${hour.end + 60_000}ms`)
    .replace(/\$__interval\b|\$\{__interval\}|\[\[__interval\]\]/g, interval)
    .replace(/\$\{store(?::[a-z]+)?\}|\$store\b|\[\[store\]\]/g, STORE_REGEX)
}

/** A `$name`, `${name}` or `[[name]]` left over after interpolation: a variable no dashboard defines. */
function leftoverVariable(query: string): string | null {
  return /\$\{?[A-Za-z_]\w*\}?|\[\[\w+\]\]/.exec(query)?.[0] ?? null
}

// ------------------------------------------------------------- result checks

interface RawSeries {
  readonly name?: string
  readonly tags?: Readonly<Record<string, string>>
  readonly columns: readonly string[]
  readonly values?: readonly (readonly unknown[])[]
}

interface RawResponse {
  readonly results?: readonly { readonly error?: string; readonly series?: readonly RawSeries[] }[]
  readonly error?: string
}

/**
 * What is wrong with a query's result, if anything: an error, no rows, a
 * column null in every row (a misspelt field next to a good one), or a GROUP BY
 * tag empty in every series (a misspelt tag).
 */
function problemsOf(raw: RawResponse): string[] {
  if (raw.error) return [`error: ${raw.error}`]
  const result = raw.results?.[0]
  if (!result) return ['no result']
  if (result.error) return [`error: ${result.error}`]
  const series = result.series ?? []
  const rows = series.reduce((n, s) => n + (s.values?.length ?? 0), 0)
  if (rows === 0) return ['returned no rows']
  const problems: string[] = []
  const columns = new Set(series.flatMap((s) => s.columns).filter((c) => c !== 'time'))
  for (const column of columns) {
    const filled = series.some((s) => {
      const i = s.columns.indexOf(column)
      return i >= 0 && (s.values ?? []).some((row) => row[i] !== null && row[i] !== undefined)
    })
    if (!filled) problems.push(`column "${column}" is null in every row (a misspelt field?)`)
  }
  const tagKeys = new Set(series.flatMap((s) => Object.keys(s.tags ?? {})))
  for (const key of tagKeys) {
    if (!series.some((s) => (s.tags?.[key] ?? '') !== ''))
      problems.push(`tag "${key}" is empty in every series (a misspelt tag?)`)
  }
  return problems
}

// ----------------------------------------------------------------- the server

let tmp: ReturnType<typeof tempDir> | null = null
let influxd: Influxd | null = null
let client: InfluxDB | null = null
let hour: DemoHour | null = null

beforeAll(async () => {
  tmp = tempDir('storeguard-dashboards-')
  influxd = await startInfluxd(tmp.path)
  client = influxd.client(DATABASE)
  await client.createDatabase(DATABASE)
  hour = await writeDemoHour(client, Date.now())
}, 30_000)

afterAll(async () => {
  await influxd?.stop()
  tmp?.remove()
})

async function run(query: string): Promise<RawResponse> {
  if (!client) throw new Error('influxd is not running')
  try {
    return (await client.queryRaw(query, { database: DATABASE })) as RawResponse
  } catch (err) {
    // node-influx rejects on a 400 (a query InfluxDB cannot parse)
    return { error: err instanceof Error ? err.message : String(err) }
  }
}

function demoHour(): DemoHour {
  if (!hour) throw new Error('no demo data')
  return hour
}

// ------------------------------------------------------------------ the tests

describe('dashboards/', () => {
  it('holds the five dashboards', () => {
    expect(files).toEqual([
      'alarm-history.json',
      'device-health.json',
      'gateway-health.json',
      'store-overview.json',
      'terminals-sla.json',
    ])
    const uids = dashboards.map((d) => d.json.uid)
    expect(new Set(uids).size).toBe(uids.length)
  })

  it('provisions an InfluxQL datasource with the uid the panels use, and a file provider', () => {
    const ds = parseYaml(readFileSync(new URL('provisioning/datasources/storeguard.yaml', DASHBOARDS), 'utf8')) as {
      datasources: { uid: string; type: string; url: string; jsonData: { version: string; dbName: string } }[]
    }
    expect(ds.datasources).toHaveLength(1)
    expect(ds.datasources[0]).toMatchObject({
      uid: DATASOURCE_UID,
      type: 'influxdb',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana expands ${VAR} in provisioning files
      url: '${INFLUX_URL}',
      jsonData: { version: 'InfluxQL', dbName: DATABASE },
    })
    const providers = parseYaml(
      readFileSync(new URL('provisioning/dashboards/storeguard.yaml', DASHBOARDS), 'utf8'),
    ) as {
      providers: { type: string; options: { path: string } }[]
    }
    expect(providers.providers[0]).toMatchObject({ type: 'file' })
    expect(providers.providers[0]?.options.path).toBeTruthy()
  })

  it('the demo data has both stores, and the store variable lists them', async () => {
    const variableQuery = 'SHOW TAG VALUES FROM "sensor" WITH KEY = "store"'
    for (const { json } of dashboards) expect(storeVariable(json)?.query).toBe(variableQuery)
    const raw = await run(variableQuery)
    const values = (raw.results?.[0]?.series?.[0]?.values ?? []).map((row) => row[1])
    expect(values.sort()).toEqual([...DEMO_STORES].sort())
  })

  it('the result check notices a misspelt measurement, field, tag and an InfluxQL error', async () => {
    const h = demoHour()
    const tf = `time >= ${h.start}ms and time <= ${h.end}ms`
    expect(
      problemsOf(await run(`SELECT mean("level_cm") FROM "sensor" WHERE ${tf} GROUP BY time(1m), "device"`)),
    ).toEqual([])
    expect(problemsOf(await run(`SELECT mean("level_cm") FROM "sensors" WHERE ${tf}`))).toEqual(['returned no rows'])
    expect(problemsOf(await run(`SELECT mean("level_cm"), mean("levl_cm") FROM "sensor" WHERE ${tf}`))).toEqual([
      'column "mean_1" is null in every row (a misspelt field?)',
    ])
    expect(problemsOf(await run(`SELECT mean("level_cm") FROM "sensor" WHERE ${tf} GROUP BY "devcie"`))).toEqual([
      'tag "devcie" is empty in every series (a misspelt tag?)',
    ])
    expect(
      problemsOf(await run(`SELECT mean("level_cm") FROM "sensor" WHERE "tyep" = 'water_level' AND ${tf}`)),
    ).toEqual(['returned no rows'])
    expect(problemsOf(await run(`SELECT mean("level_cm" FROM "sensor"`))[0]).toMatch(/^error: /)
  })
})

function storeVariable(d: Dashboard): { query: string | undefined; variable: Variable } | undefined {
  const variable = d.templating?.list?.find((v) => v.name === 'store')
  if (!variable) return undefined
  const query = typeof variable.query === 'string' ? variable.query : variable.query?.query
  return { query, variable }
}

for (const { file, json } of dashboards) {
  const panels = panelsOf(json)

  describe(`${file} (${json.title ?? 'untitled'})`, () => {
    it('is a well-formed Grafana dashboard', () => {
      expect(json.uid).toMatch(/^storeguard-[a-z0-9-]+$/)
      expect(json.uid?.length).toBeLessThanOrEqual(40)
      expect(json.title).toBeTruthy()
      expect(json.schemaVersion).toBeGreaterThanOrEqual(36)
      const store = storeVariable(json)
      expect(store, 'templating has a `store` variable').toBeDefined()
      expect(store?.variable).toMatchObject({
        type: 'query',
        multi: true,
        includeAll: true,
        datasource: { type: 'influxdb', uid: DATASOURCE_UID },
      })
      expect(panels.length).toBeGreaterThan(0)
      const ids = panels.map((p) => p.id)
      expect(new Set(ids).size, 'panel ids are unique').toBe(ids.length)
    })

    for (const panel of panels) {
      const name = `panel ${panel.id} "${panel.title}"`
      const targets = panel.targets ?? []

      it(`${name} is bound to the StoreGuard datasource`, () => {
        expect(panel.title).toBeTruthy()
        expect(panel.datasource).toEqual({ type: 'influxdb', uid: DATASOURCE_UID })
        expect(panel.gridPos).toBeDefined()
        if (panel.gridPos) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24)
        expect(targets.length).toBeGreaterThan(0)
        const refIds = targets.map((t) => t.refId)
        expect(new Set(refIds).size, 'refIds are unique').toBe(refIds.length)
        for (const t of targets) {
          if (isExpression(t)) {
            // a server-side expression may only refer to the panel's own queries
            for (const ref of (t.expression ?? '').match(/\$\w+/g) ?? []) expect(refIds).toContain(ref.slice(1))
            continue
          }
          expect(t.datasource?.uid ?? DATASOURCE_UID).toBe(DATASOURCE_UID)
          expect(t.rawQuery, `target ${t.refId} is a raw InfluxQL query`).toBe(true)
          expect(t.query, `target ${t.refId} filters by the store variable`).toContain('"store" =~ /^$store$/')
          expect(t.query, `target ${t.refId} is bounded in time`).toMatch(/\$timeFilter|time > now\(\) - \d+[mhd]/)
          expect(t.query).not.toContain(';')
        }
      })

      for (const t of targets.filter((t) => !isExpression(t))) {
        it(`${name} target ${t.refId} returns rows`, async () => {
          const query = interpolate(t.query ?? '', panel, demoHour())
          expect(leftoverVariable(query), `no unknown variable in: ${query}`).toBeNull()
          const problems = problemsOf(await run(query))
          expect(problems, `${file} › ${name} › ${t.refId}\n${query}`).toEqual([])
        })
      }
    }
  })
}
