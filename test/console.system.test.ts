import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleSnapshot, SignageSnapshot } from '../gateway/http/consoleSnapshot.js'
import { openSse, type SseStream } from './support/sse.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

/**
 * The console, server side (docs/requirements.md#console): the console and signage pages and their live
 * Server-Sent Events streams, from the built gateway over real HTTP.
 */
describe('the console and signage streams', () => {
  let store: StoreUnderTest
  const streams: SseStream<unknown>[] = []
  const open = async <T>(path: string, token?: string) => {
    const opened = await openSse<T>(`${store.gateway.apiUrl}${path}`, token)
    streams.push(opened.stream as SseStream<unknown>)
    return opened
  }

  beforeAll(async () => {
    store = await startStoreUnderTest({ terminalHeartbeatSec: 3600 })
  })
  afterAll(async () => {
    for (const s of streams) s.close()
    await store?.stop()
  })

  it('serves the console and signage pages with a strict content security policy, and nothing outside its files', async () => {
    for (const path of ['/', '/signage']) {
      const res = await fetch(`${store.gateway.apiUrl}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(await res.text()).toMatch(/<script type="module" src="\/assets\//)
      const again = await fetch(`${store.gateway.apiUrl}${path}`, {
        headers: { 'if-none-match': String(res.headers.get('etag')) },
      })
      expect(again.status).toBe(304)
    }
    const js = await fetch(`${store.gateway.apiUrl}/assets/console.js`)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    for (const path of ['/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e%2fconsole.html']) {
      expect((await fetch(`${store.gateway.apiUrl}${path}`)).status).toBe(404)
    }
  })

  it('refuses the console stream without a valid token', async () => {
    expect((await open('/api/stream')).status).toBe(401)
    expect((await open('/api/stream', 'not-a-token')).status).toBe(401)
  })

  it('pushes a fire alarm live, and keeps a robbery alarm from every role below manager', async () => {
    const viewer = (await open<ConsoleSnapshot>('/api/stream', SECRETS.viewer)).stream
    const manager = (await open<ConsoleSnapshot>('/api/stream', SECRETS.manager)).stream
    const first = await viewer.until(() => true)
    expect(first.user).toEqual({ name: expect.any(String), role: 'viewer' })
    expect(first.store).toMatchObject({ name: 'Test store', locale: 'en', timeZone: 'Asia/Shanghai' })
    expect(first.devices.map((d) => d.id)).toContain('smoke-hall-1')

    await store.send('panic-counter-1', { pressed: true })
    await manager.until((s) => s.alarms.some((a) => a.kind === 'robbery'), 15_000, 'the robbery for the manager')
    await store.send('smoke-hall-1', { smoke: true })
    const withFire = await viewer.until((s) => s.alarms.some((a) => a.kind === 'fire'), 15_000, 'the fire alarm')
    expect(withFire.alarms[0]).toMatchObject({ kind: 'fire', severity: 'critical', deviceId: 'smoke-hall-1' })
    expect(viewer.snapshots.some((s) => s.alarms.some((a) => a.silent))).toBe(false)
    const managerView = await manager.until((s) => s.alarms.some((a) => a.kind === 'fire'), 15_000, 'fire for manager')
    // most severe first, then newest: the fire (raised last) before the robbery
    expect(managerView.alarms.map((a) => a.kind).slice(0, 2)).toEqual(['fire', 'robbery'])
  })

  it('the signage stream shows a terminal repair notice to anyone, and never an alarm or a staff notice', async () => {
    const signage = (await open<SignageSnapshot>('/api/signage/stream')).stream
    await store.send('terminal-1', { status: 'fault', fault_codes: 'printer' })
    // the fire of the test above is still open, so its evacuation notice is on signage too
    const repair = (s: SignageSnapshot) => s.notices.find((n) => n.deviceId === 'terminal-1')
    const shown = await signage.until((s) => repair(s) !== undefined, 15_000, 'the repair notice')
    expect(repair(shown)).toMatchObject({ deviceName: 'Terminal 1', zone: 'self-service' })
    expect(repair(shown)?.texts.en).toMatch(/being repaired/)
    expect(repair(shown)?.emergency).toBeUndefined()
    await store.send('terminal-1', { status: 'ok', fault_codes: '' })
    // healthy for the settle time (2 s in the test store): the notice is withdrawn and the page is told
    await signage.until(
      (s) => s === signage.snapshots.at(-1) && repair(s) === undefined,
      15_000,
      'the notice withdrawn',
    )
    const raw = JSON.stringify(signage.snapshots)
    expect(raw).not.toMatch(/robbery|panic|alarm/i)
    expect(Object.keys(shown)).toEqual(['store', 'notices', 'rotateSec'])
    expect(shown.rotateSec).toBe(10)
  })
})
