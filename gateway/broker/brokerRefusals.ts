import type { AuthErrorCode, AuthenticateError } from 'aedes'
import { StoreGuardError } from '../core/errors.js'
import type { Logger, RateLimitedLog } from '../log.js'
import { createRateLimitedLog } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { BrokerRefusal, ConnectionRefusal } from './brokerHooks.js'

/**
 * Refusal accounting for the broker hooks: every refusal is counted in
 * `storeguard_broker_refused_total{reason}` and logged through one rate
 * limiter, so a flood of bad clients cannot flood the log.
 */

/** CONNACK 5 "not authorized" for every refusal: a client learns nothing about which part was wrong. */
export const NOT_AUTHORIZED = 5 as AuthErrorCode
/** CONNACK 2 "identifier rejected" [MQTT-3.2.2-6 table 3.1]. */
export const IDENTIFIER_REJECTED = 2 as AuthErrorCode
/** CONNACK 3 "server unavailable": the password was not checked, so "not authorized" would be a lie. */
export const SERVER_UNAVAILABLE = 3 as AuthErrorCode

/** Refusals whose log line is keyed by reason alone: their username is whatever the client sent. */
const LOGIN_REFUSALS: ReadonlySet<BrokerRefusal> = new Set(['bad_credentials', 'login_backoff', 'busy', 'backoff'])

export function connectRefusal(returnCode: AuthErrorCode, reason: BrokerRefusal): AuthenticateError {
  return Object.assign(new StoreGuardError('unauthorized', `connection refused: ${reason}`), { returnCode })
}

/** What a refusal's log line carries; never the password. */
export interface RefusalData {
  readonly clientId: string
  readonly username: string | undefined
  readonly topic?: string
  readonly ip?: string
}

export interface RefusalLog {
  /** Counts and logs a refused client, packet or subscription. */
  refuse(reason: BrokerRefusal, data: RefusalData): void
  /** Counts and logs a socket closed before it was an MQTT client. */
  connectionRefused(reason: ConnectionRefusal, ip: string | undefined): void
}

export function createRefusalLog(log: Logger, metrics: GatewayMetrics, now: () => number): RefusalLog {
  const rateLimited: RateLimitedLog = createRateLimitedLog(log, 10_000, now)
  return {
    refuse(reason, data) {
      metrics.brokerRefused.inc({ reason })
      // One log key per reason, and per principal once logged in: bounded by the config, never
      // by usernames, client ids or addresses a client chooses.
      const key = LOGIN_REFUSALS.has(reason) ? reason : `${reason}:${data.username ?? ''}`
      rateLimited(key, { ...data, reason }, 'mqtt client refused')
    },
    connectionRefused(reason, ip) {
      metrics.brokerRefused.inc({ reason })
      rateLimited(reason, { reason, ip }, 'mqtt connection closed')
    },
  }
}
