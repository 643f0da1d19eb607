import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../test/support/freePort.js'
import { type Mosquitto, startMosquitto } from '../../test/support/mosquitto.js'
import { connectClient } from '../../test/support/mqttClient.js'
import { tempDir } from '../../test/support/tempDir.js'
import { createClientBus } from './clientBus.js'
import type { LocalBus } from './mqttBus.js'

describe('the client bus on an external broker that is down', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('neither start nor a later subscription waits for the broker; both are made once it is up', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const port = await freePort()
    const bus: LocalBus = createClientBus({
      url: `mqtt://127.0.0.1:${port}`,
      clientId: 'client-bus-test',
      statusTopic: 'test/gateway/status',
      onError: () => undefined,
    })
    cleanup.push(() => bus.close())
    const got: string[] = []
    // resolving at all is the point: before, these waited until the broker came back
    await bus.subscribe(['test/start'], (topic, payload) => got.push(`${topic}=${payload.toString()}`))
    await bus.startDelivery(() => null)
    await bus.subscribe(['test/reload'], (topic, payload) => got.push(`${topic}=${payload.toString()}`))
    expect(bus.isConnected()).toBe(false)

    const mosquitto: Mosquitto = await startMosquitto(dir.path, port)
    cleanup.push(() => mosquitto.stop())
    while (!bus.isConnected()) await new Promise((r) => setTimeout(r, 50))
    const device = await connectClient(mosquitto.url, 'device', '')
    cleanup.push(() => device.endAsync())
    // publishing until both arrive: the gateway's SUBSCRIBE may still be on its way when the device first publishes
    while (!(got.includes('test/start=1') && got.includes('test/reload=2'))) {
      await device.publishAsync('test/start', '1', { qos: 1 })
      await device.publishAsync('test/reload', '2', { qos: 1 })
      await new Promise((r) => setTimeout(r, 50))
    }
  })
})
