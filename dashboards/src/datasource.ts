import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'

/**
 * The datasource every panel, target and the store variable use: the uid is fixed in
 * dashboards/provisioning/datasources/storeguard.yaml, so the dashboards need no
 * `${DS_...}` input when they are provisioned.
 */
export const INFLUX: dashboard.DataSourceRef = { type: 'influxdb', uid: 'storeguard-influx' }

/** Grafana's server-side expressions (the SLA ratio, `$A / $B`). */
export const EXPRESSION: dashboard.DataSourceRef & { name: string } = {
  type: '__expr__',
  uid: '__expr__',
  name: 'Expression',
}
