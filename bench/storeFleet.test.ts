import { describe, expect, it } from 'vitest'
import { DEVICE_TYPE_DEFINITIONS } from '../devices/types/registry.js'
import { parseConfig } from '../gateway/config/loadConfig.js'
import { verifySecret } from '../gateway/security/secretHash.js'
import { storeConfigYaml, storeDevices, storeReading } from './storeFleet.js'

describe('the store-load store', () => {
  const devices = storeDevices()

  it('is a valid config whose 40 devices each log in with their own password', async () => {
    const config = parseConfig(
      storeConfigYaml({
        influxUrl: 'http://127.0.0.1:8086',
        database: 'store_load',
        dataDir: '/var/lib/sg',
        devices,
        minHeartbeatSec: 120,
      }),
      'store.yaml',
      {},
    )
    expect(config.devices).toHaveLength(40)
    expect(config.broker.mode).toBe('embedded')
    expect(config.broker.allowAnonymous).toBe(false)
    expect(config.influx.enabled).toBe(true)
    const smoke = devices.find((d) => d.type === 'smoke')
    const hash = config.devices.find((d) => d.id === smoke?.id)?.mqtt.passwordHash
    expect(await verifySecret(smoke?.password ?? '', hash ?? '')).toBe(true)
    expect(config.devices.every((d) => d.mqtt.passwordHash !== undefined)).toBe(true)
    // terminals expect a heartbeat every 60 s: not missed while the bench idles before the logins
    expect(config.devices.find((d) => d.type === 'terminal')?.heartbeatSec).toBe(120)
  })

  it('has detectors, probes, panic buttons and terminals', () => {
    const types = new Set(devices.map((d) => d.type))
    for (const type of ['smoke', 'heat', 'leak', 'water_level', 'panic_button', 'terminal'] as const) {
      expect(types).toContain(type)
    }
  })

  it('sends only metrics its device types define, of the kind they define', () => {
    for (const device of devices) {
      const metrics = DEVICE_TYPE_DEFINITIONS[device.type].metrics
      for (const [metric, value] of Object.entries(JSON.parse(storeReading(device, 7)) as object)) {
        expect(metrics[metric]?.kind, `${device.id} ${metric}`).toBe(typeof value)
      }
    }
  })
})
