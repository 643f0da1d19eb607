import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { BridgeConfig } from '../config/schema.js'
import { isStoreGuardError } from '../core/errors.js'
import { openCentralLink, withoutCredentials } from './centralLink.js'

describe('the central broker URL in the logs', () => {
  it('keeps a password written into the URL out, and the rest as it was', () => {
    expect(withoutCredentials('mqtts://store-0421:s3cret@mqtt.example:8883')).toBe(
      'mqtts://store-0421:***@mqtt.example:8883',
    )
    expect(withoutCredentials('mqtts://mqtt.example:8883')).toBe('mqtts://mqtt.example:8883')
    expect(withoutCredentials('mqtts://store-0421@mqtt.example')).toBe('mqtts://store-0421@mqtt.example')
  })
})

describe('the central link with a certificate file that is not there', () => {
  it('refuses to start, naming the setting and the file, before it connects anywhere', () => {
    const config: BridgeConfig = {
      enabled: true,
      url: 'mqtts://127.0.0.1:1',
      tls: { ca: '/nonexistent/central-ca.crt', rejectUnauthorized: true },
      keepaliveSec: 30,
      reconnect: { baseMs: 1000, capMs: 60_000 },
      maxInFlight: 50,
      maxQueued: 100_000,
      telemetry: { enabled: false, intervalSec: 60 },
      commands: { enabled: true, role: 'staff' },
    }
    let thrown: unknown
    try {
      openCentralLink({
        config,
        storeId: 'test-store',
        statusTopic: 'storeguard/test-store/gateway/status',
        log: pino({ level: 'silent' }),
        onConnect: () => {},
        onDisconnect: () => {},
      })
    } catch (err) {
      thrown = err
    }
    expect(isStoreGuardError(thrown, 'config_unreadable')).toBe(true)
    expect((thrown as Error).message).toBe('bridge.tls.ca: cannot read /nonexistent/central-ca.crt: ENOENT')
  })
})
