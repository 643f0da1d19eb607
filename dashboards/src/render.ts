import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { DASHBOARDS } from './index.js'

/**
 * The schema version the files declare. The SDK (0.0.21) follows Grafana 12's model and
 * stamps 42; deploy/central runs Grafana 11.6, whose newest is 41. Grafana migrates an
 * older dashboard up when it loads it but never a newer one down, so the files keep the
 * version they were written and checked against in Grafana 11.
 */
export const SCHEMA_VERSION = 39

/**
 * What the SDK's model adds that would change today's dashboards in Grafana: it defaults
 * links and annotations to `placement: "inControlsMenu"`, which Grafana 12 shows in the
 * controls drop-down instead of at the top (dashboards/README.md, "The `store` variable").
 */
function finish(built: dashboard.Dashboard): dashboard.Dashboard {
  const out: dashboard.Dashboard = { ...built, schemaVersion: SCHEMA_VERSION }
  if (built.links) out.links = built.links.map(({ placement: _, ...link }) => link)
  if (built.annotations?.list) {
    out.annotations = { ...built.annotations, list: built.annotations.list.map(({ placement: _, ...a }) => a) }
  }
  return out
}

/** `value` with every object's keys sorted, so the files do not churn when builder call order changes. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]))
}

/** A dashboard as its file holds it: sorted keys, 2-space indent, a trailing newline. */
export function renderDashboard(builder: dashboard.DashboardBuilder): string {
  return `${JSON.stringify(sortKeys(finish(builder.build())), null, 2)}\n`
}

/** Every dashboard file's name and the text the generator writes into it. */
export function renderDashboards(): { readonly file: string; readonly json: string }[] {
  return DASHBOARDS.map(({ file, build }) => ({ file, json: renderDashboard(build()) }))
}
