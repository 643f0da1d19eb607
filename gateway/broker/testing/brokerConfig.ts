import { Value } from '@sinclair/typebox/value'
import { type BrokerConfig, BrokerSchema } from '../../config/schema.js'

/**
 * An embedded broker's settings as the config loader would produce them:
 * the schema's defaults, listening on a free loopback port, with `overrides`
 * on top. Tests name only what they are about, and a new setting with a
 * default needs no edit here.
 */
export function testBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  const defaults = Value.Default(BrokerSchema, { host: '127.0.0.1', port: 0 }) as BrokerConfig
  return { ...defaults, ...overrides }
}
