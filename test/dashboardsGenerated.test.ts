import { readdirSync, readFileSync } from 'node:fs'
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { renderDashboards } from '../dashboards/src/render.js'

/**
 * The dashboards are TypeScript (dashboards/src/) and the JSON Grafana loads is generated from
 * it (dashboards/README.md, "Changing a dashboard"). This test keeps the two together, and
 * checks what Grafana's types cannot: the layout and the variables the queries use. Whether
 * each query returns data is test/dashboards.test.ts, against a real influxd.
 */

const DASHBOARDS_DIR = new URL('../dashboards/', import.meta.url)
const REGENERATE = 'run `npm run generate:dashboards` and commit dashboards/src/ and dashboards/*.json together'

const rendered = renderDashboards()
const built = rendered.map(({ file, json }) => ({ file, json: JSON.parse(json) as dashboard.Dashboard }))

/** Grafana's own variables and macros an InfluxQL query may use. */
const BUILT_IN = new Set(['timeFilter', '__interval', '__interval_ms', '__from', '__to', '__range', '__rate_interval'])

/** Every `$name`, `${name}` / `${name:format}` and `[[name]]` in a query. */
function variablesIn(query: string): string[] {
  const names: string[] = []
  for (const m of query.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g)) names.push(m[1] ?? m[2] ?? m[3] ?? '')
  return names
}

type Box = dashboard.GridPos

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

interface Target {
  readonly refId?: string
  readonly query?: string
  readonly datasource?: { readonly type?: string; readonly uid?: string }
}

describe('dashboards/*.json', () => {
  it('are what the generator writes from dashboards/src/', () => {
    for (const { file, json } of rendered) {
      const committed = readFileSync(new URL(file, DASHBOARDS_DIR), 'utf8')
      expect(committed, `dashboards/${file} differs from dashboards/src/: ${REGENERATE}`).toBe(json)
    }
  })

  it('are all generated: no hand-written dashboard sits beside them', () => {
    const files = readdirSync(DASHBOARDS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
    expect(files, `every dashboard is built in dashboards/src/index.ts; ${REGENERATE}`).toEqual(
      rendered.map((r) => r.file).sort(),
    )
  })

  it('declare the schema version of the SDK build they are typed against, and unique uids and titles', () => {
    for (const { json } of built) expect(json.schemaVersion).toBe(dashboard.defaultDashboard().schemaVersion)
    expect(new Set(built.map((d) => d.json.uid)).size).toBe(built.length)
    expect(new Set(built.map((d) => d.json.title)).size).toBe(built.length)
  })
})

describe('deploy/central', () => {
  it('mounts dashboards/ where the file provider reads the generated JSON, and the provisioning beside it', () => {
    const compose = parseYaml(
      readFileSync(new URL('../deploy/central/docker-compose.yml', import.meta.url), 'utf8'),
    ) as {
      services: { grafana: { volumes: string[] } }
    }
    const provider = parseYaml(
      readFileSync(new URL('provisioning/dashboards/storeguard.yaml', DASHBOARDS_DIR), 'utf8'),
    ) as {
      providers: { type: string; allowUiUpdates: boolean; options: { path: string } }[]
    }
    const [only] = provider.providers
    expect(only).toMatchObject({ type: 'file', allowUiUpdates: false })
    const mounts = new Map(
      compose.services.grafana.volumes.map((v) => {
        const [from, to] = v.split(':')
        return [to, from]
      }),
    )
    expect(mounts.get(only?.options.path)).toBe('../../dashboards')
    expect(mounts.get('/etc/grafana/provisioning/dashboards')).toBe('../../dashboards/provisioning/dashboards')
    expect(mounts.get('/etc/grafana/provisioning/datasources')).toBe('../../dashboards/provisioning/datasources')
  })
})

for (const { file, json } of built) {
  const d = json
  const panels = (d.panels ?? []) as dashboard.Panel[]

  describe(`dashboards/${file}`, () => {
    it('places every panel inside the 24 columns, with no two panels overlapping', () => {
      for (const p of panels) {
        const g = p.gridPos
        expect(g, `panel ${p.id} "${p.title}" has a place`).toBeDefined()
        if (!g) continue
        expect(g.x, `panel ${p.id}`).toBeGreaterThanOrEqual(0)
        expect(g.y, `panel ${p.id}`).toBeGreaterThanOrEqual(0)
        expect(g.w, `panel ${p.id}`).toBeGreaterThan(0)
        expect(g.h, `panel ${p.id}`).toBeGreaterThan(0)
        expect(g.x + g.w, `panel ${p.id} "${p.title}" ends within 24 columns`).toBeLessThanOrEqual(24)
      }
      for (const [i, a] of panels.entries()) {
        for (const b of panels.slice(i + 1)) {
          if (a.gridPos && b.gridPos)
            expect(overlaps(a.gridPos, b.gridPos), `panels ${a.id} "${a.title}" and ${b.id} "${b.title}" overlap`).toBe(
              false,
            )
        }
      }
    })

    it('gives every panel a unique id, a title, a datasource and queries with unique refIds', () => {
      const ids = panels.map((p) => p.id)
      expect(new Set(ids).size, 'panel ids are unique').toBe(ids.length)
      for (const p of panels) {
        expect(p.title, `panel ${p.id}`).toBeTruthy()
        expect(p.datasource, `panel ${p.id} "${p.title}"`).toEqual({ type: 'influxdb', uid: 'storeguard-influx' })
        const refIds = ((p.targets ?? []) as Target[]).map((t) => t.refId)
        expect(refIds.length, `panel ${p.id} "${p.title}" has queries`).toBeGreaterThan(0)
        expect(new Set(refIds).size, `panel ${p.id} "${p.title}" refIds are unique`).toBe(refIds.length)
      }
    })

    it('uses in its queries only the variables it defines and Grafana’s own', () => {
      const defined = new Set((d.templating?.list ?? []).map((v) => v.name))
      for (const p of panels) {
        for (const t of (p.targets ?? []) as Target[]) {
          if (t.datasource?.type === '__expr__') continue // `$A` there names a query, checked in dashboards.test.ts
          for (const name of variablesIn(t.query ?? '')) {
            expect(defined.has(name) || BUILT_IN.has(name), `panel ${p.id} "${p.title}" ${t.refId} uses $${name}`).toBe(
              true,
            )
          }
        }
      }
    })
  })
}

describe('the checks above', () => {
  it('see a variable, an overlap and a Grafana macro for what they are', () => {
    expect(variablesIn('WHERE "store" =~ /^$store$/ AND $timeFilter GROUP BY time($__interval)')).toEqual([
      'store',
      'timeFilter',
      '__interval',
    ])
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name:format} variable syntax
    expect(variablesIn('"zone" =~ /^${zone:regex}$/ AND [[shop]]')).toEqual(['zone', 'shop'])
    expect(overlaps({ x: 0, y: 0, w: 12, h: 8 }, { x: 11, y: 7, w: 4, h: 4 })).toBe(true)
    expect(overlaps({ x: 0, y: 0, w: 12, h: 8 }, { x: 12, y: 0, w: 12, h: 8 })).toBe(false)
    expect(overlaps({ x: 0, y: 0, w: 12, h: 8 }, { x: 0, y: 8, w: 24, h: 8 })).toBe(false)
  })

  it('runs the Grafana release whose model the dashboards are typed against', () => {
    // Grafana migrates an older dashboard model up when it loads it, never a newer one down:
    // the SDK build (its version starts with the Grafana release) must not be newer than the server
    const compose = parseYaml(
      readFileSync(new URL('../deploy/central/docker-compose.yml', import.meta.url), 'utf8'),
    ) as { services: { grafana: { image: string } } }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      devDependencies: Record<string, string>
    }
    const release = (v: string) => /(\d+\.\d+)\.\d+/.exec(v)?.[1]
    expect(release(pkg.devDependencies['@grafana/grafana-foundation-sdk'] ?? '')).toBe(
      release(compose.services.grafana.image.split(':')[1] ?? ''),
    )
  })
})
