import { afterAll, describe, expect, it } from 'vitest'
import type { SignageSnapshot } from '../gateway/http/consoleSnapshot.js'
import { api, eventually } from './support/api.js'
import { openSse, type SseStream } from './support/sse.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS } from './support/testStore.js'

/**
 * A notice staff post over HTTP (docs/requirements.md#notices) reaches signage and MQTT like a
 * rule's own notice, comes back after a crash, and goes everywhere when withdrawn.
 */
describe('a notice posted over HTTP', () => {
  const dir = tempDir()
  const running: StoreUnderTest[] = []
  const streams: SseStream<SignageSnapshot>[] = []
  afterAll(async () => {
    for (const s of streams) s.close()
    for (const store of running) await store.stop('SIGKILL').catch(() => undefined)
    dir.remove()
  })

  async function start(): Promise<{ store: StoreUnderTest; signage: SseStream<SignageSnapshot> }> {
    const store = await startStoreUnderTest({ dir })
    running.push(store)
    const { stream } = await openSse<SignageSnapshot>(`${store.gateway.apiUrl}/api/signage/stream`)
    streams.push(stream)
    return { store, signage: stream }
  }
  const shows = (id: string) => (s: SignageSnapshot) => s.notices.some((n) => n.id === id)

  it('shows on signage and retained on MQTT, survives kill -9, and is gone everywhere once withdrawn', async () => {
    const first = await start()
    const endsAt = new Date(Date.now() + 24 * 3600_000).toISOString()
    const posted = await first.store.post('/api/notices', SECRETS.staff, {
      audience: 'customer',
      deviceId: 'terminal-1',
      texts: { 'zh-CN': '本机今晚升级，暂停服务', en: 'This machine is being upgraded tonight' },
      endsAt,
    })
    expect(posted.status).toBe(201)
    const notice = posted.json.notice
    expect(notice).toMatchObject({ audience: 'customer', zone: 'self-service', postedBy: 'stan', active: true })

    const onSignage = await first.signage.until(shows(notice.id), 15_000, 'the posted notice on signage')
    expect(onSignage.notices.find((n) => n.id === notice.id)).toMatchObject({
      deviceName: 'Terminal 1',
      texts: notice.texts,
    })
    // the API and the retained MQTT copy agree, and a client subscribing now is handed it
    expect(await first.store.noticeByKey(notice.key, 'customer')).toEqual(notice)
    const retained = await first.store.retainedForNewcomer(`notices/${notice.id}`)
    expect(retained?.retain).toBe(true)
    expect(JSON.parse(retained?.payload ?? '{}')).toEqual(notice)

    await first.store.stop('SIGKILL')
    running.length = 0

    const second = await start()
    expect((await second.store.get('/api/notices')).notices).toEqual([notice])
    await second.signage.until(shows(notice.id), 15_000, 'the notice on signage after the restart')
    const again = await second.store.retainedForNewcomer(`notices/${notice.id}`)
    expect(JSON.parse(again?.payload ?? '{}')).toEqual(notice)

    const withdrawn = await api(second.store.gateway.apiUrl, 'DELETE', `/api/notices/${notice.id}`, SECRETS.staff)
    expect(withdrawn.status).toBe(200)
    await second.signage.until((s) => !shows(notice.id)(s), 15_000, 'the notice gone from signage')
    await eventually(
      async () => (second.store.retainedNotice(notice.id) === '' ? true : undefined),
      15_000,
      'the retained notice removed',
    )
    expect((await second.store.get('/api/notices')).notices).toEqual([])
  })
})
