import type { RequestOptions } from 'node:https'
import { InfluxDB, type IPoolOptions } from 'influx'
import type { InfluxConfig } from '../../config/influxSchema.js'
import { readPem } from '../../config/pemFile.js'

/**
 * node-influx takes a host out of its pool for a backoff interval after one
 * network error, and meanwhile fails every call at once with "No host
 * available" (and keeps a timer alive to bring it back). Our own probe decides
 * when InfluxDB is back (docs/requirements.md#influxdb), so the pool never disables its host.
 */
const NEVER_DISABLE: NonNullable<IPoolOptions['backoff']> = {
  getDelay: () => 0,
  next: () => NEVER_DISABLE,
  reset: () => NEVER_DISABLE,
}

export type ClientSettings = Pick<
  InfluxConfig,
  'url' | 'database' | 'username' | 'password' | 'timeoutMs' | 'ca' | 'rejectUnauthorized'
>

/** Where InfluxDB is and who we are to it, from `url` (http or https, optional path prefix behind a proxy). */
export interface InfluxEndpoint {
  readonly https: boolean
  readonly host: string
  readonly port: number
  /** Path prefix without a trailing slash; '' for none. */
  readonly path: string
  readonly username: string | undefined
  readonly password: string | undefined
}

/** `username`/`password` from the settings, else from the URL's user info. */
export function influxEndpoint(config: ClientSettings): InfluxEndpoint {
  const url = new URL(config.url)
  const https = url.protocol === 'https:'
  return {
    https,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port !== '' ? Number(url.port) : https ? 443 : 80,
    path: url.pathname.replace(/\/+$/, ''),
    username: config.username ?? (url.username !== '' ? decodeURIComponent(url.username) : undefined),
    password: config.password ?? (url.password !== '' ? decodeURIComponent(url.password) : undefined),
  }
}

/** How an https InfluxDB is trusted: TLS options for both the line writer and node-influx. */
export type InfluxTls = Pick<RequestOptions, 'ca' | 'rejectUnauthorized'>

/**
 * `influx.ca` (read now, so a missing file stops the start with its path)
 * and `influx.rejectUnauthorized`; without a CA, Node's bundled CAs decide.
 * Nothing for plain http.
 */
export function influxTls(config: ClientSettings): InfluxTls {
  if (!influxEndpoint(config).https) return {}
  return {
    ...(config.ca !== undefined ? { ca: readPem(config.ca, 'influx.ca') } : {}),
    rejectUnauthorized: config.rejectUnauthorized !== false,
  }
}

/**
 * A node-influx client (queries, the probe) for `config.url`, with basic
 * auth and `tls` on every request. No retries inside node-influx: a failed
 * write goes to the disk buffer instead (docs/requirements.md#no-data-loss).
 */
export function createInfluxClient(config: ClientSettings, tls: InfluxTls = influxTls(config)): InfluxDB {
  const { https, host, port, path, username, password } = influxEndpoint(config)
  return new InfluxDB({
    host,
    port,
    protocol: https ? 'https' : 'http',
    path,
    options: tls,
    database: config.database,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    pool: { maxRetries: 0, requestTimeout: config.timeoutMs, backoff: NEVER_DISABLE },
  })
}

/** How a failed request is handled: buffer and probe, or drop the point(s). */
export type WriteFailure =
  | { readonly kind: 'unavailable'; readonly status: number | null; readonly detail: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string }

/**
 * Connection refused, timeouts and 5xx mean "try later"; so do 401/403 (bad
 * credentials get fixed) and a missing database or retention policy (it gets
 * created): dropping data for those would lose a whole outage. Any other 4xx
 * is about the points themselves.
 */
export function classifyFailure(err: unknown): WriteFailure {
  const status = statusOf(err)
  const detail = bodyOf(err)
  if (status === null || status >= 500) return { kind: 'unavailable', status, detail }
  if (status === 401 || status === 403 || status === 404) return { kind: 'unavailable', status, detail }
  if (/database not found|retention policy not found|bucket .*not found/i.test(detail)) {
    return { kind: 'unavailable', status, detail }
  }
  return { kind: 'rejected', status, detail }
}

function statusOf(err: unknown): number | null {
  // node-influx's RequestError (3xx/4xx) carries the response; it is not exported as a class
  const res = (err as { res?: { statusCode?: unknown } } | null)?.res
  return typeof res?.statusCode === 'number' ? res.statusCode : null
}

function bodyOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const at = message.indexOf('occurred: ')
  const body = at >= 0 ? message.slice(at + 'occurred: '.length) : message
  try {
    const parsed = JSON.parse(body) as { error?: unknown }
    return typeof parsed.error === 'string' ? parsed.error : body
  } catch {
    return body
  }
}
