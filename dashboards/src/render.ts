import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { DASHBOARDS } from './index.js'

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
  return `${JSON.stringify(sortKeys(builder.build()), null, 2)}\n`
}

/** Every dashboard file's name and the text the generator writes into it. */
export function renderDashboards(): { readonly file: string; readonly json: string }[] {
  return DASHBOARDS.map(({ file, build }) => ({ file, json: renderDashboard(build()) }))
}
