import { Counter, type Registry } from 'prom-client'

/** Who asked for a slow secret check; a metric label. */
export type SecretCheckProtocol = 'http' | 'mqtt'

/**
 * Slow (scrypt) secret checks actually run, by protocol: the work a sign-in
 * costs, after the caches. Lets an operator see a guessing flood, and lets a
 * test see that an unknown MQTT username costs one check like a known one.
 * Shared registry: reused when a second server is built on it.
 */
export function secretChecksCounter(registry: Registry): Counter<'protocol'> {
  const name = 'storeguard_secret_checks_total'
  const existing = registry.getSingleMetric(name)
  if (existing) return existing as Counter<'protocol'>
  return new Counter({
    name,
    help: 'Slow secret (scrypt) checks run for sign-ins, by protocol',
    labelNames: ['protocol'],
    registers: [registry],
  })
}
