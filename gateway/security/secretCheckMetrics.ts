import type { Counter, Registry } from 'prom-client'
import { sharedCounter } from '../metrics.js'

/** Who asked for a slow secret check; a metric label. */
export type SecretCheckProtocol = 'http' | 'mqtt'

/**
 * Slow secret (hash) checks actually run, by protocol: the work a sign-in
 * costs, after the caches. Lets an operator see a guessing flood, and lets a
 * test see that an unknown MQTT username costs one check like a known one.
 * Shared registry: reused when a second server is built on it.
 */
export function secretChecksCounter(registry: Registry): Counter<'protocol'> {
  return sharedCounter(registry, {
    name: 'storeguard_secret_checks_total',
    help: 'Slow secret hash checks run for sign-ins, by protocol',
    labelNames: ['protocol'],
  })
}
