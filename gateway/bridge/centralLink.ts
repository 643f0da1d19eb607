import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { readPem } from '../config/pemFile.js'
import type { BridgeConfig } from '../config/schema.js'
import type { Logger } from '../log.js'
import { backoffDelayMs } from '../outbox/backoff.js'

export interface CentralLinkOptions {
  readonly config: BridgeConfig
  readonly storeId: string
  /** `<prefix>/gateway/status` on the central broker: `online`, or `offline` as the last will. */
  readonly statusTopic: string
  readonly log: Logger
  /** Each (re)connection, after the session is resumed. */
  readonly onConnect: (client: MqttClient, sessionPresent: boolean) => void
  readonly onDisconnect: () => void
  readonly random?: () => number
}

export interface CentralLink {
  readonly client: MqttClient
  isConnected(): boolean
  /** Connections made since start (the first one included). */
  connects(): number
  /** Says `offline`, waits for in-flight acknowledgements at most `graceMs`, and closes. */
  close(graceMs?: number): Promise<void>
}

/**
 * The MQTT connection to the chain's central broker (docs/requirements.md#upstream-bridge): a persistent
 * session (clean = false, a stable client id) so QoS 1 commands wait for us
 * while we are away, TLS with a client certificate or a username and password,
 * and reconnection after a jittered back-off — a thousand stores that lost
 * the centre at the same moment must not all knock at once when it is back.
 *
 * mqtt.js's own reconnect timer has a fixed period, so it is off; we call
 * `reconnect` with the client's own stores, which keeps the messages it holds
 * unacknowledged and sends them again (DUP) on the resumed session.
 */
export function openCentralLink(options: CentralLinkOptions): CentralLink {
  const { config, log } = options
  const clientOptions: IClientOptions = {
    clientId: config.clientId ?? `storeguard-${options.storeId}`,
    clean: false,
    protocolVersion: 4,
    keepalive: config.keepaliveSec,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    username: config.username ?? options.storeId,
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...tlsOptions(config.tls),
    will: { topic: options.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
  }
  const client = connect(config.url, clientOptions)
  const shownUrl = withoutCredentials(config.url)
  let attempt = 0
  let connectCount = 0
  let retry: NodeJS.Timeout | null = null
  let closing = false
  let lastError = ''

  client.on('connect', (connack) => {
    attempt = 0
    lastError = '' // the next outage's cause is logged again, even if it is the same
    connectCount++
    const stream = client.stream as { setNoDelay?: (on: boolean) => void }
    stream.setNoDelay?.(true)
    log.info({ url: shownUrl, sessionPresent: connack.sessionPresent }, 'central broker connected')
    client.publish(options.statusTopic, 'online', { qos: 1, retain: true })
    options.onConnect(client, connack.sessionPresent)
  })
  client.on('error', (err) => {
    // once per distinct error, not once per retry: a centre away for a day must not fill the journal
    if (err.message !== lastError) log.warn({ err: err.message }, 'central broker error')
    lastError = err.message
  })
  client.on('close', () => {
    options.onDisconnect()
    if (closing || retry) return
    attempt++
    const delayMs = backoffDelayMs(attempt, undefined, {
      baseMs: config.reconnect.baseMs,
      capMs: config.reconnect.capMs,
      ...(options.random ? { random: options.random } : {}),
    })
    if (attempt === 1) log.warn({ url: shownUrl }, 'central broker connection lost; queueing')
    retry = setTimeout(() => {
      retry = null
      if (!closing) client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore })
    }, delayMs)
    retry.unref()
  })

  return {
    client,
    isConnected: () => client.connected,
    connects: () => connectCount,
    async close(graceMs = 2000) {
      closing = true
      if (retry) clearTimeout(retry)
      if (client.connected) {
        await Promise.race([
          client.publishAsync(options.statusTopic, 'offline', { qos: 1, retain: true }),
          delay(graceMs),
        ]).catch(() => {})
      }
      // forced: the durable queue still holds whatever was not acknowledged
      await client.endAsync(true)
    },
  }
}

function tlsOptions(tls: BridgeConfig['tls']): Partial<IClientOptions> {
  return {
    ...(tls.ca !== undefined ? { ca: readPem(tls.ca, 'bridge.tls.ca') } : {}),
    ...(tls.cert !== undefined ? { cert: readPem(tls.cert, 'bridge.tls.cert') } : {}),
    ...(tls.key !== undefined ? { key: readPem(tls.key, 'bridge.tls.key') } : {}),
    rejectUnauthorized: tls.rejectUnauthorized,
  }
}

/** The URL as it may be logged: a password written into it stays out of the journal (docs/design.md#secrets). */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password === '') return url
    parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@')
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
