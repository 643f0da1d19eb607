import { execFile } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { metricValue } from './support/prometheus.js'
import { REPO_ROOT } from './support/repoRoot.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

const CLI = join(REPO_ROOT, 'dist', 'gateway', 'cli.js')

/** Runs the built command line without blocking this process, which keeps publishing meanwhile. */
function storeguard(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

/** The test store, with fire, flood and terminal notifications to a webhook nobody listens on, so they stay queued. */
function storeConfig(dataDir: string, hookPort: number): string {
  return `${testStoreConfig(dataDir, { openAllDay: true })}notifications:
  enabled: true
  channels:
    - { id: ops-webhook, kind: webhook, url: "http://127.0.0.1:${hookPort}/hook", secret: backup-test-secret, timeoutMs: 1000 }
  routes:
    - { kinds: [fire, flood, terminal_fault], channels: [ops-webhook] }
`
}

interface JournalContents {
  readonly alarms: string[]
  readonly alarmAudit: number[]
  readonly tickets: string[]
  readonly ticketAudit: number[]
  readonly notices: string[]
  readonly pendingNotifications: string[]
}

/** What the journal file holds, read beside a running gateway (WAL lets a reader in). */
function journalContents(dataDir: string): JournalContents {
  const db = new Database(join(dataDir, 'storeguard.db'), { readonly: true })
  try {
    const column = (sql: string) => db.prepare(sql).pluck().all() as never[]
    return {
      alarms: column('SELECT id FROM alarms ORDER BY id'),
      alarmAudit: column('SELECT seq FROM alarm_journal ORDER BY seq'),
      tickets: column('SELECT id FROM tickets ORDER BY id'),
      ticketAudit: column('SELECT seq FROM ticket_journal ORDER BY seq'),
      notices: column('SELECT id FROM notices ORDER BY id'),
      pendingNotifications: column("SELECT id FROM outbox WHERE status = 'pending' ORDER BY id"),
    }
  } finally {
    db.close()
  }
}

describe('backup and restore of a running store', () => {
  const shop = tempDir()
  const replacement = tempDir()
  const work = tempDir()
  const running: GatewayProcess[] = []
  const clients: MqttClient[] = []
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true)
    for (const g of running) await g.kill('SIGKILL')
    for (const d of [shop, replacement, work]) d.remove()
  })

  it('a backup taken under load restores on a fresh data dir with every alarm, ticket, audit entry and queued notification', async () => {
    const hookPort = await freePort()
    const shopData = join(shop.path, 'data')
    const gateway = await startGatewayProcess(shop.path, storeConfig(shopData, hookPort))
    running.push(gateway)
    const bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
    clients.push(bridge)
    const state = (device: string, reading: object) =>
      bridge.publishAsync(`${PREFIX}/devices/${device}/state`, JSON.stringify(reading), { qos: 1 })
    const get = async (path: string, token: string = SECRETS.manager) =>
      (await api(gateway.apiUrl, 'GET', path, token)).json

    // a fire and a leak alarm (one acknowledged), a terminal fault that opens a ticket, a posted notice
    const smoke = await connectClient(gateway.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
    await smoke.publishAsync(`${PREFIX}/devices/smoke-hall-2/smoke`, 'true', { qos: 1 })
    await smoke.endAsync()
    await state('leak-entrance-1', { water_leak: true })
    await state('terminal-1', { status: 'fault', fault_codes: 'printer' })
    const alarms = await eventually(async () => {
      const list = (await get('/api/alarms')).alarms as { id: string; kind: string }[]
      return list.some((a) => a.kind === 'fire') && list.some((a) => a.kind === 'flood') ? list : undefined
    })
    const fire = alarms.find((a) => a.kind === 'fire')
    expect((await api(gateway.apiUrl, 'POST', `/api/alarms/${fire?.id}/ack`, SECRETS.staff)).status).toBe(200)
    const posted = await api(gateway.apiUrl, 'POST', '/api/notices', SECRETS.staff, {
      audience: 'staff',
      texts: { en: 'Backroom door sticks, use the side door' },
    })
    expect(posted.status).toBe(201)
    await eventually(async () => ((await get('/api/tickets')).tickets.length > 0 ? true : undefined), 20_000, 'ticket')
    await eventually(
      async () => ((await get('/api/notifications?status=pending')).notifications.length >= 2 ? true : undefined),
      15_000,
      'two queued notifications',
    )
    const before = journalContents(shopData)
    expect(before.alarms.length).toBeGreaterThanOrEqual(2)
    expect(before.tickets).toHaveLength(1)
    expect(before.notices, 'the posted one and those the alarms put up').toContain(posted.json.notice.id)
    expect(before.pendingNotifications.length).toBeGreaterThanOrEqual(2)

    // readings at a steady rate while the backup runs, and now and then a notice posted and withdrawn,
    // so the journal is written to while it is copied
    const readingsIn = async () =>
      metricValue(await get('/metrics', SECRETS.viewer), 'storeguard_readings_total', { type: 'heat' })
    const heatBefore = await readingsIn()
    let publishing = true
    let published = 0
    let noticeWrites = 0
    const postAndWithdraw = async () => {
      const notice = await api(gateway.apiUrl, 'POST', '/api/notices', SECRETS.staff, {
        audience: 'staff',
        texts: { en: `Load notice ${published}` },
      })
      expect(notice.status).toBe(201)
      await api(gateway.apiUrl, 'DELETE', `/api/notices/${notice.json.notice.id}`, SECRETS.staff)
      noticeWrites += 2
    }
    const load = (async () => {
      while (publishing) {
        await state('heat-back-1', { temperature: 20 + (published % 5) })
        if (published % 10 === 0) await postAndWithdraw()
        published++
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    await eventually(async () => ((await readingsIn()) >= heatBefore + 20 ? true : undefined), 15_000, 'load')
    const publishedAtStart = published
    const noticeWritesAtStart = noticeWrites
    const backup = await storeguard(work.path, 'backup', '--config', join(shop.path, 'storeguard.yaml'))
    const publishedDuringBackup = published
    const noticeWritesDuringBackup = noticeWrites
    publishing = false
    await load
    const afterBackup = journalContents(shopData)
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    expect(publishedDuringBackup, 'readings went on while the backup ran').toBeGreaterThan(publishedAtStart)
    expect(noticeWritesDuringBackup, 'the journal was written while the backup ran').toBeGreaterThan(
      noticeWritesAtStart,
    )
    const [archive] = readdirSync(work.path).filter((f) => f.endsWith('.tar.gz'))
    expect(archive).toMatch(/^storeguard-backup-test-store-\d{8}T\d{6}Z\.tar\.gz$/)
    expect(backup.stdout).toContain(`wrote ${join(work.path, archive ?? '')}`)
    expect(backup.stdout, 'the config is named, never printed').not.toContain('passwordHash')
    const archivePath = join(work.path, archive ?? '')

    // the gateway still has the journal open: restore refuses, even forced, and changes nothing
    const refused = await storeguard(
      work.path,
      'restore',
      archivePath,
      '--config',
      join(shop.path, 'storeguard.yaml'),
      '--force',
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^storeguard: .*open in a running gateway.*\n$/)
    expect(readdirSync(shopData).some((f) => f.includes('before-restore'))).toBe(false)

    expect(await gateway.kill('SIGTERM')).toBe(0)

    // a replacement gateway: the same store's config, an empty data dir
    const freshData = join(replacement.path, 'data')
    const freshConfig = join(replacement.path, 'storeguard.yaml')
    writeFileSync(freshConfig, storeConfig(freshData, hookPort))
    const restored = await storeguard(work.path, 'restore', archivePath, '--config', freshConfig)
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    expect(existsSync(`${freshConfig}.restored`)).toBe(true)

    // everything written before the backup started is back, and nothing the gateway did not have when it ended
    const after = journalContents(freshData)
    for (const key of Object.keys(before) as (keyof JournalContents)[]) {
      expect(after[key], key).toEqual(expect.arrayContaining(before[key] as never[]))
      expect(afterBackup[key], key).toEqual(expect.arrayContaining(after[key] as never[]))
    }
    expect(after.tickets).toEqual(before.tickets)

    // and a gateway started on it serves them
    const second = await startGatewayProcess(replacement.path, storeConfig(freshData, hookPort))
    running.push(second)
    const get2 = async (path: string) => (await api(second.apiUrl, 'GET', path, SECRETS.manager)).json
    const served = (await get2('/api/alarms')).alarms as { id: string; kind: string; state: string }[]
    expect(served.map((a) => a.id).sort()).toEqual(after.alarms)
    expect(served.find((a) => a.id === fire?.id)?.state).toBe('active_acked')
    expect(((await get2('/api/tickets')).tickets as { id: string }[]).map((t) => t.id)).toEqual(before.tickets)
    expect(((await get2('/api/notices')).notices as { id: string }[]).map((n) => n.id)).toContain(posted.json.notice.id)
    const pending = (await get2('/api/notifications?status=pending')).notifications as { id: string }[]
    expect(pending.map((n) => n.id)).toEqual(expect.arrayContaining(before.pendingNotifications))
    const history = (await get2(`/api/alarms/${fire?.id}/history`)).history as { action: string }[]
    expect(history.length, 'raised and acknowledged').toBeGreaterThanOrEqual(2)

    // killed with kill -9: no lock is left behind, so a restore over it goes ahead (forced: it has rows)
    expect(await second.kill('SIGKILL')).toBe('SIGKILL')
    const overKilled = await storeguard(work.path, 'restore', archivePath, '--config', freshConfig, '--force')
    expect(overKilled.stderr).toBe('')
    expect(overKilled.code).toBe(0)
    expect(overKilled.stdout).toMatch(/the journal that was there is kept as .*before-restore-/)
    expect(journalContents(freshData).alarms).toEqual(after.alarms)
  }, 180_000)

  it('says what is wrong with the command line, exit code 2', async () => {
    const r = await storeguard(work.path, 'restore')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('restore needs a backup FILE')
    const b = await storeguard(work.path, 'backup', '--bogus')
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('unknown option "--bogus"')
  })
})
