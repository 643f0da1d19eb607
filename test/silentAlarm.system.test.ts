import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'
import { startWebhookReceiver } from './support/webhookReceiver.js'

/** Seconds the robbery stays unacknowledged before the police liaison is told: short, so the test waits little. */
const POLICE_AFTER_SEC = 3

describe('a staff token cannot touch a robbery: it is told there is no such alarm, and the police are still called', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let store: StoreUnderTest

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    store = await startStoreUnderTest({
      extraYaml: `notifications:
  enabled: true
  channels:
    - { id: security, kind: webhook, url: "${receiver.url}/security" }
    - { id: police, kind: webhook, url: "${receiver.url}/police" }
  routes:
    - silent: true
      kinds: [robbery]
      channels: [security]
      escalation: [{ afterSec: ${POLICE_AFTER_SEC}, channels: [police] }]
`,
    })
  })
  afterAll(async () => {
    await store?.stop()
    await receiver?.close()
  })

  /** Status and raw body, so two answers can be compared byte for byte. */
  async function raw(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown) {
    const headers: Record<string, string> = {}
    if (token !== null) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${store.gateway.apiUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: await res.text() }
  }

  it('a panic button press over MQTT, then staff and viewer acks, resets, shelves and history all answer 404', async () => {
    await store.send('panic-counter-1', { pressed: true })
    const robbery = await store.alarmByKey('robbery:panic-counter-1')
    expect(robbery).toMatchObject({ silent: true, state: 'active_unacked' })
    // a made-up id of the same shape and length
    const madeUp = robbery.id.replace(/[0-9a-f]{6}$/, (hex: string) => (hex === '000000' ? '111111' : '000000'))
    const tries: Array<['GET' | 'POST', string, unknown?]> = [
      ['POST', 'ack'],
      ['POST', 'ack', { note: 'just testing the button' }],
      ['POST', 'reset', { note: 'false alarm' }],
      ['POST', 'shelve', { durationSec: 60, reason: 'testing' }],
      ['POST', 'shelve', { durationSec: 'forever' }],
      ['GET', 'history'],
    ]
    for (const token of [SECRETS.staff, SECRETS.viewer]) {
      for (const [method, action, body] of tries) {
        const got = await raw(method, `/api/alarms/${robbery.id}/${action}`, token, body)
        const none = await raw(method, `/api/alarms/${madeUp}/${action}`, token, body)
        expect({ action, ...got }).toEqual({ action, ...none })
        expect(got.status).toBe(404)
        expect(got.body).not.toMatch(/robbery|panic/i)
      }
      expect((await raw('POST', `/api/alarms/${robbery.id}/ack`, null)).status).toBe(401)
    }

    // nothing changed: still unacknowledged, and nobody but the rules ever wrote to it
    const history = (await store.get(`/api/alarms/${robbery.id}/history`, SECRETS.manager)).history
    expect(history.map((e: { action: string }) => e.action)).toEqual(['raised'])
    const [current] = (await store.get('/api/alarms', SECRETS.manager)).alarms.filter(
      (a: { id: string }) => a.id === robbery.id,
    )
    expect(current).toMatchObject({ state: 'active_unacked', ackedAt: null })

    // so it escalates: security is told at once, the police liaison once it has stayed unacknowledged
    const police = await eventually(
      async () => receiver.received.find((r) => r.path === '/police'),
      30_000,
      'the escalation to the police liaison',
    )
    expect(police.body.event).toMatchObject({ action: 'escalated', alarm: { id: robbery.id, kind: 'robbery' } })
    expect(police.body.message).toMatchObject({ confidential: true })
    const security = receiver.received.filter((r) => r.path === '/security')
    expect(security.map((r) => [r.body.event.action, r.body.event.alarm.id])).toEqual([['raised', robbery.id]])
  })
})
