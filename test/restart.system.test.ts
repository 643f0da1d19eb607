import { afterAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient, retainedAlarms } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

describe('alarm state survives kill -9', () => {
  const dir = tempDir()
  const running: GatewayProcess[] = []
  afterAll(async () => {
    for (const g of running) await g.kill('SIGKILL')
    dir.remove()
  })

  it('an acknowledged fire alarm comes back after SIGKILL with the same id and state, retained on MQTT again', async () => {
    const first = await startGatewayProcess(dir.path, testStoreConfig(dir.path))
    running.push(first)
    const device = await connectClient(first.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
    await device.publishAsync(`${PREFIX}/devices/smoke-hall-2/smoke`, 'true', { qos: 1 })
    await device.endAsync()
    const alarm = await eventually(
      async () => (await api(first.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms[0],
    )
    const acked = await api(first.apiUrl, 'POST', `/api/alarms/${alarm.id}/ack`, SECRETS.staff)
    expect(acked.status).toBe(200)

    expect(await first.kill('SIGKILL')).toBe('SIGKILL')

    const second = await startGatewayProcess(dir.path, testStoreConfig(dir.path))
    running.push(second)
    const restored = (await api(second.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms
    expect(restored).toEqual([
      expect.objectContaining({
        id: alarm.id,
        kind: 'fire',
        state: 'active_acked',
        ackedBy: 'stan',
        raisedAt: alarm.raisedAt,
      }),
    ])
    const consumer = await connectClient(second.mqttUrl, 'consumer', SECRETS.consumer)
    const retained = await retainedAlarms(consumer, PREFIX)
    await consumer.endAsync()
    expect(JSON.parse(retained.get(alarm.id) ?? '{}')).toMatchObject({ id: alarm.id, state: 'active_acked' })

    // the same condition after the restart updates that alarm, it does not open a second one
    const again = await connectClient(second.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
    await again.publishAsync(`${PREFIX}/devices/smoke-hall-2/smoke`, 'true', { qos: 1 })
    await again.endAsync()
    await new Promise((r) => setTimeout(r, 200))
    expect((await api(second.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms).toHaveLength(1)
  })
})
