import type { DestinationStream } from 'pino'
import { loadGatewayTls } from '../config/listenerTls.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import { OLD_HASH_ADVICE, oldSecretHashes } from '../config/oldSecretHashes.js'
import { securityWarnings } from '../config/securityWarnings.js'
import { type Clock, systemClock } from '../core/clock.js'
import { EventBus } from '../core/events.js'
import { createLogger, type Logger } from '../log.js'
import { secretValues } from '../logRedaction.js'
import { createMetrics, type GatewayMetrics } from '../metrics.js'
import { type StoreTexts, storeTexts } from './storeTexts.js'

export interface StartOptions {
  readonly clock?: Clock
  readonly logDestination?: DestinationStream
}

/** What every part of the gateway is built with: opens nothing, listens on nothing. */
export interface GatewayContext {
  readonly config: LoadedConfig
  readonly clock: Clock
  readonly log: Logger
  readonly metrics: GatewayMetrics
  readonly events: EventBus
  readonly tls: ReturnType<typeof loadGatewayTls>
  /** Every checklist and notice in the store's wording (docs/requirements.md#store-texts). */
  readonly texts: StoreTexts
  /** The config's secrets the logger blanks; a reload adds the new file's (configReload.ts). */
  readonly logSecrets: string[]
}

export function createContext(config: LoadedConfig, options: StartOptions): GatewayContext {
  const clock = options.clock ?? systemClock
  const logSecrets = secretValues(config)
  const log = createLogger(config.log.level, options.logDestination, logSecrets)
  // the effective config, defaults filled in, for whoever debugs a store; the logger blanks its secrets
  log.debug({ config }, 'config loaded')
  // what `storeguard validate` warns about, said once at every start too: secrets in clear, checks turned off
  for (const w of securityWarnings(config)) log.warn({ setting: w.path }, `insecure setting: ${w.message}`)
  for (const path of oldSecretHashes(config)) log.info({ setting: path }, `old secret hash: ${OLD_HASH_ADVICE}`)
  // certificate files are read and checked before anything opens, so a wrong path stops the start cleanly
  const tls = loadGatewayTls(config)
  return {
    config,
    clock,
    log,
    metrics: createMetrics(),
    events: new EventBus((err) => log.error({ err }, 'event listener failed')),
    tls,
    texts: storeTexts(config),
    logSecrets,
  }
}
