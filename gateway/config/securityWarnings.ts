import { isIPv4 } from 'node:net'
import { formatPath } from './configPath.js'
import type { Config, NotificationChannelConfig } from './schema.js'

/**
 * A setting that works but exposes something: a secret that would cross the
 * network in clear, or a certificate check turned off. Not an error — a test
 * bench or a LAN-only relay may want exactly that — so `storeguard validate`
 * and the gateway's start say it and go on.
 */
export interface SecurityWarning {
  /** The setting to change, e.g. `bridge.password` or `notifications.channels[2].url`. */
  readonly path: string
  readonly message: string
}

/** Query parameters and headers that carry a credential (robot access tokens, API keys, signatures). */
const SECRET_NAME = /auth|token|key|secret|pass|sign|cookie|credential/i

export function securityWarnings(config: Config): SecurityWarning[] {
  const warnings: SecurityWarning[] = []
  const warn = (segments: (string | number)[], message: string) =>
    warnings.push({ path: formatPath(segments), message })

  const { broker, bridge, influx, api, notifications } = config
  if (broker.mode === 'external' && broker.url !== undefined) {
    const sent = clearSecret(broker.url, broker.password)
    if (sent)
      warn(['broker', sent.inUrl ? 'url' : 'password'], clearMessage('the broker password', sent.host, 'mqtts://'))
  }
  if (bridge?.enabled) {
    const sent = clearSecret(bridge.url, bridge.password)
    if (sent)
      warn(['bridge', sent.inUrl ? 'url' : 'password'], clearMessage('the bridge password', sent.host, 'mqtts://'))
    if (!bridge.tls.rejectUnauthorized) warn(['bridge', 'tls', 'rejectUnauthorized'], noChecks('the central broker'))
  }
  if (influx.enabled) {
    const sent = clearSecret(influx.url, influx.password)
    if (sent)
      warn(['influx', sent.inUrl ? 'url' : 'password'], clearMessage('the InfluxDB password', sent.host, 'https://'))
    if (influx.rejectUnauthorized === false) warn(['influx', 'rejectUnauthorized'], noChecks('InfluxDB'))
  }
  if (notifications.enabled) {
    notifications.channels.forEach((channel, i) => {
      const message = channelWarning(channel)
      if (message) warn(['notifications', 'channels', i, 'url'], message)
    })
  }
  if (api.tls === undefined && !isLoopback(api.host)) {
    warn(
      ['api', 'tls'],
      `is not set, but the API listens on ${api.host}: staff tokens and the console cross the network in clear; set api.tls`,
    )
  }
  return warnings
}

/** What a notification channel would send in clear, if anything. */
function channelWarning(channel: NotificationChannelConfig): string | null {
  const url = parseUrl(channel.url)
  if (url === null || isLoopback(url.hostname)) return null
  if (channel.kind === 'email') {
    // smtp:// upgrades only when the relay offers STARTTLS: whoever sits in between can strip the offer
    const login = url.password !== '' || url.username !== ''
    if (url.protocol === 'smtp:' && login && channel.requireTls !== true)
      return `the SMTP login may be sent in clear to ${url.hostname}: set requireTls: true or use smtps://`
    return null
  }
  if (url.protocol !== 'http:') return null
  // a robot webhook URL is itself the credential (key=, access_token=, /hook/<token>)
  const robot = channel.kind === 'wecom' || channel.kind === 'dingtalk' || channel.kind === 'feishu'
  const secretHeader = Object.keys(channel.headers ?? {}).some((name) => SECRET_NAME.test(name))
  const secretQuery = [...url.searchParams.keys()].some((name) => SECRET_NAME.test(name))
  const carries = robot || secretHeader || secretQuery || url.password !== ''
  return carries ? `sends a token or password in clear over http:// to ${url.hostname}; use https://` : null
}

/** The host a password goes to in clear, when `url` is plain (mqtt:, http:) and not on this machine. */
function clearSecret(raw: string, password: string | undefined): { host: string; inUrl: boolean } | null {
  const url = parseUrl(raw)
  if (url === null || !['mqtt:', 'http:'].includes(url.protocol) || isLoopback(url.hostname)) return null
  const inUrl = url.password !== ''
  if (!inUrl && (password === undefined || password === '')) return null
  return { host: url.hostname, inUrl }
}

const clearMessage = (what: string, host: string, secure: string) =>
  `${what} is sent in clear to ${host}: anyone on the network can read it; use ${secure}`

const noChecks = (peer: string) =>
  `is false: certificate checks are off, so anyone on the path can pose as ${peer}; give its CA instead`

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/** This machine only: `localhost`, 127.0.0.0/8, ::1 (brackets allowed, as URLs give IPv6 hosts). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h
  return isIPv4(v4) && v4.startsWith('127.')
}
