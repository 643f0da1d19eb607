import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type ReadOnlyDir, readOnlyDir, type SmallDisk, smallDisk } from './support/diskFaults.js'
import { sample } from './support/prometheus.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS } from './support/testStore.js'

const FAULT_KEY = 'system_fault:journal_unavailable'
const FIRE_KEY = 'fire:backroom'
/** The gateway retries the disk every tick (1 s); these wait for that, generously, on a busy machine. */
const RECOVERY_MS = 20_000

async function health(store: StoreUnderTest) {
  return api(store.gateway.apiUrl, 'GET', '/healthz', null)
}

async function journalUpMetric(store: StoreUnderTest): Promise<number | undefined> {
  return sample(await store.get('/metrics'), 'storeguard_journal_up')
}

/** A heat detector over the threshold: the fire, its siren and strobe, on MQTT and in the API. */
async function fireAnnounced(store: StoreUnderTest) {
  await store.send('heat-back-1', { temperature: 63 })
  const fire = await store.alarmByKey(FIRE_KEY)
  expect(fire).toMatchObject({ kind: 'fire', severity: 'critical', state: 'active_unacked' })
  await eventually(async () => (store.outputs().includes('siren-1:{"on":true}') ? true : undefined), 5000, 'siren on')
  return fire
}

async function journalFaultShown(store: StoreUnderTest, cause: RegExp) {
  const fault = await store.alarmByKey(FAULT_KEY, 10_000)
  expect(fault).toMatchObject({ kind: 'system_fault', severity: 'critical', silent: false })
  expect(fault.details.fault).toBe('journal_unavailable')
  expect(fault.details.cause).toMatch(cause)
  const h = await health(store)
  expect(h.status).toBe(503)
  expect(h.json).toMatchObject({ status: 'degraded', journal: { state: 'down' } })
  expect(await journalUpMetric(store)).toBe(0)
  return fault
}

async function journalBack(store: StoreUnderTest) {
  // cleared, not closed: like any alarm nobody has acknowledged yet, it stays listed until someone does
  await store.alarmsSatisfy(
    (alarms) => !alarms.some((a) => a.key === FAULT_KEY && a.conditionActive),
    RECOVERY_MS,
    'fault cleared',
  )
  const h = await health(store)
  expect(h.json).toMatchObject({ status: 'ok', journal: { state: 'up' } })
  expect(await journalUpMetric(store)).toBe(1)
}

async function historyActions(store: StoreUnderTest, id: string): Promise<string[]> {
  const { history } = await store.get(`/api/alarms/${id}/history`, SECRETS.manager)
  return history.map((e: { action: string }) => e.action)
}

describe('a gateway whose data disk fails still announces fires and journals them once the disk is back', {
  timeout: 90_000,
}, () => {
  const configDir = tempDir()
  let store: StoreUnderTest | undefined
  let disk: SmallDisk | undefined
  let ro: ReadOnlyDir | undefined

  const start = async (dataDir: string, extraYaml = '') => {
    store = await startStoreUnderTest({ dir: configDir, dataDir, extraYaml })
    return store
  }
  afterEach(async () => {
    await store?.stop('SIGKILL')
    store = undefined
    disk?.remove()
    disk = undefined
    ro?.remove()
    ro = undefined
  })
  afterAll(() => configDir.remove())

  it('on a full disk a fire sounds the siren, reaches MQTT and the API, and is journaled when space returns', async () => {
    disk = smallDisk()
    const running = await start(disk.path)
    disk.fill()

    const fire = await fireAnnounced(running)
    await journalFaultShown(running, /^SQLITE_FULL/)
    // the console still works: staff acknowledge the fire while the disk is full
    expect((await running.post(`/api/alarms/${fire.id}/ack`, SECRETS.staff)).status).toBe(200)
    expect((await running.get('/api/alarms', SECRETS.manager)).alarms.map((a: { id: string }) => a.id)).toContain(
      fire.id,
    )

    disk.free()
    await journalBack(running)
    expect(await historyActions(running, fire.id)).toEqual(expect.arrayContaining(['raised', 'acked']))

    await running.stop('SIGKILL')
    const restarted = await start(disk.path)
    const after = await restarted.alarmByKey(FIRE_KEY)
    expect(after).toMatchObject({ id: fire.id, state: 'active_acked' })
    expect(await historyActions(restarted, fire.id)).toEqual(expect.arrayContaining(['raised', 'acked']))
  })

  it('restarted on the same full disk it starts, announces the next fire, and journals it once space returns', async () => {
    disk = smallDisk()
    const first = await start(disk.path)
    disk.fill()
    await first.stop('SIGKILL')

    const running = await start(disk.path)
    const fire = await fireAnnounced(running)
    await journalFaultShown(running, /^SQLITE_FULL/)

    disk.free()
    await journalBack(running)
    await running.stop('SIGKILL')
    const restarted = await start(disk.path)
    expect(await restarted.alarmByKey(FIRE_KEY)).toMatchObject({ id: fire.id, kind: 'fire' })
    expect(await historyActions(restarted, fire.id)).toContain('raised')
  })

  it('starts on a read-only data dir where the journal cannot even be created, and catches up when it is writable', async () => {
    ro = readOnlyDir()
    ro.readOnly()
    const running = await start(ro.path)
    const fault = await journalFaultShown(running, /^(SQLITE_CANTOPEN|EROFS)/)
    expect(fault.details.memoryOnly).toBe(true)
    const fire = await fireAnnounced(running)

    ro.writable()
    await journalBack(running)
    expect(await historyActions(running, fire.id)).toContain('raised')

    await running.stop('SIGKILL')
    const restarted = await start(ro.path)
    expect(await restarted.alarmByKey(FIRE_KEY)).toMatchObject({ id: fire.id, kind: 'fire' })
  })

  it('restarted on a disk that went read-only, it still shows the fire from before and journals what follows', async () => {
    ro = readOnlyDir()
    const first = await start(ro.path)
    const fire = await fireAnnounced(first)
    await first.stop()
    ro.readOnly()

    const running = await start(ro.path)
    await journalFaultShown(running, /^SQLITE_/)
    // the fire open before the restart is back on MQTT and in the API, from the last copy of the file
    expect(await running.alarmByKey(FIRE_KEY)).toMatchObject({ id: fire.id, state: 'active_unacked' })
    expect((await running.post(`/api/alarms/${fire.id}/ack`, SECRETS.staff)).status).toBe(200)

    ro.writable()
    await journalBack(running)
    expect(await historyActions(running, fire.id)).toEqual(expect.arrayContaining(['raised', 'acked']))
  })

  it('a long outage overflows the bounded memory queue: what was lost is counted on the fault, in /metrics and the log', async () => {
    ro = readOnlyDir()
    ro.readOnly()
    const small = await startStoreUnderTest({ dir: configDir, dataDir: ro.path, journalMaxPendingWrites: 3 })
    store = small
    await journalFaultShown(small, /^SQLITE_CANTOPEN/)
    // a fire, its ack and its clear: more transitions than three writes can hold
    const fire = await fireAnnounced(small)
    expect((await small.post(`/api/alarms/${fire.id}/ack`, SECRETS.staff)).status).toBe(200)
    await small.send('heat-back-1', { temperature: 24 })
    const fault = await eventually(
      async () => {
        const f = (await small.get('/api/alarms', SECRETS.manager)).alarms.find(
          (a: { key: string }) => a.key === FAULT_KEY,
        )
        return f?.details.lostWrites > 0 ? f : undefined
      },
      RECOVERY_MS,
      'lost writes on the fault',
    )
    expect(fault.message).toContain('lost')
    const lost = sample(await small.get('/metrics'), 'storeguard_journal_lost_writes_total', { table: 'alarms' })
    expect(lost).toBeGreaterThan(0)
    expect(small.gateway.output.some((line) => line.includes('journal memory queue full'))).toBe(true)
    // the fire itself is still shown: only the record of it was cut short
    expect(await small.alarmByKey(FIRE_KEY)).toMatchObject({ id: fire.id })
  })
})
