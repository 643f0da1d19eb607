import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { openDatabase } from '../storage/database.js'
import { JOURNAL_MIGRATIONS } from '../storage/journalSchema.js'
import { restoreBackup } from './restoreBackup.js'
import type { StoreFiles } from './storeFiles.js'
import { backupOf, storeOnDisk } from './testing/backupFixture.js'

const CURRENT = JOURNAL_MIGRATIONS.at(-1)?.version ?? 0

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (err) {
    if (isStoreGuardError(err, 'restore_refused')) return err.message
    throw err
  }
  throw new Error('was not refused')
}

function ids(dataDir: string, table: 'alarms' | 'tickets'): string[] {
  const db = new Database(join(dataDir, 'storeguard.db'), { readonly: true })
  try {
    return db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as string[]
  } finally {
    db.close()
  }
}

describe('restoring a backup', () => {
  let store: ReturnType<typeof storeOnDisk> | undefined
  afterEach(() => store?.remove())

  /** The same store's config pointing at a fresh, empty data dir, as on a replacement gateway. */
  const freshGateway = (files: StoreFiles, name = 'fresh'): StoreFiles => ({
    ...files,
    dataDir: join(store?.dir ?? '', name, 'data'),
  })

  it('puts the journal into a fresh data dir with every row, and the setup files beside the config as .restored', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    const result = restoreBackup(archive, target)
    expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
    expect(ids(target.dataDir, 'tickets')).toEqual(['t-1'])
    expect(result.keptAside).toBeNull()
    expect(result.setupFiles.map((f) => f.path)).toEqual([
      `${store.files.configFile}.restored`,
      join(store.dir, 'etc', 'holidays.json.restored'),
    ])
    expect(readFileSync(`${store.files.configFile}.restored`, 'utf8')).toBe(
      readFileSync(store.files.configFile, 'utf8'),
    )
    // the restored journal opens and migrates like any other
    openDatabase(target.dataDir).close()
  })

  it('refuses a journal newer than this build, and takes an older one (the gateway migrates it at start)', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    expect(refusal(() => restoreBackup(archive, target, { highestSchemaVersion: CURRENT - 1 }))).toMatch(
      new RegExp(`schema version ${CURRENT}, newer than this gateway knows \\(${CURRENT - 1}\\)`),
    )
    expect(existsSync(target.dataDir)).toBe(false)
    restoreBackup(archive, target, { highestSchemaVersion: CURRENT + 1 })
    expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
  })

  it('refuses a backup of another store unless forced', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const other = { ...freshGateway(store.files), storeId: 'shop-2' }
    expect(refusal(() => restoreBackup(archive, other))).toMatch(/backup of store "shop-1".*is for "shop-2"/)
    restoreBackup(archive, other, { force: true })
    expect(ids(other.dataDir, 'alarms')).toEqual(['a-1'])
  })

  it('refuses while a gateway has the journal open, even with --force', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const running = openDatabase(store.files.dataDir)
    try {
      expect(refusal(() => restoreBackup(archive, store?.files as StoreFiles, { force: true }))).toMatch(
        /open in a running gateway/,
      )
    } finally {
      running.close()
    }
  })

  it('refuses to overwrite a journal with rows unless forced, and then keeps the old one aside with every row it had', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const db = openDatabase(store.files.dataDir)
    db.prepare("INSERT INTO alarms VALUES ('a-2', 'leak:x', 'active', 'x', '{}')").run()
    db.close()
    expect(refusal(() => restoreBackup(archive, store?.files as StoreFiles))).toMatch(/already holds a journal/)
    expect(ids(store.files.dataDir, 'alarms')).toEqual(['a-1', 'a-2'])

    const result = restoreBackup(archive, store.files, { force: true, now: () => new Date('2026-12-07T05:30:00Z') })
    expect(ids(store.files.dataDir, 'alarms')).toEqual(['a-1'])
    expect(result.keptAside).toBe(join(store.files.dataDir, 'storeguard.db.before-restore-20261207T053000Z'))
    const old = new Database(result.keptAside ?? '', { readonly: true })
    expect(old.prepare('SELECT count(*) FROM alarms').pluck().get()).toBe(2)
    old.close()
  })

  it('replaces a journal without rows (a fresh install started once) without --force, keeping it aside', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    openDatabase(target.dataDir).close()
    const result = restoreBackup(archive, target)
    expect(result.keptAside).toMatch(/before-restore-/)
    expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
  })

  it.each([
    ['garbage', Buffer.alloc(8192, 3)],
    ['a cut-short file', Buffer.from('SQLite format')],
  ])(
    'refuses to restore over a journal that is %s unless forced, then keeps it aside with its -wal and -shm',
    async (_what, damaged) => {
      store = storeOnDisk()
      const archive = await backupOf(store.files, store.dir)
      const target = freshGateway(store.files)
      mkdirSync(target.dataDir, { recursive: true })
      const journal = join(target.dataDir, 'storeguard.db')
      const sidecar = { '': damaged, '-wal': Buffer.alloc(100, 1), '-shm': Buffer.alloc(100, 2) }
      for (const [suffix, data] of Object.entries(sidecar)) writeFileSync(`${journal}${suffix}`, data)
      expect(refusal(() => restoreBackup(archive, target))).toBe(
        `${journal} is not a readable journal (SQLITE_NOTADB): --force to restore over it (the damaged file is kept, renamed, with its -wal and -shm)`,
      )
      expect(readdirSync(target.dataDir)).toHaveLength(3)
      const result = restoreBackup(archive, target, { force: true, now: () => new Date('2026-12-07T05:30:00Z') })
      expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
      expect(result.keptAside).toBe(`${journal}.before-restore-20261207T053000Z`)
      for (const [suffix, data] of Object.entries(sidecar)) {
        expect(readFileSync(`${result.keptAside}${suffix}`).equals(data), `kept${suffix}`).toBe(true)
      }
    },
  )

  it('replaces an empty journal file (nothing in it to keep) without --force, keeping it aside', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    mkdirSync(target.dataDir, { recursive: true })
    writeFileSync(join(target.dataDir, 'storeguard.db'), '')
    expect(restoreBackup(archive, target).keptAside).toMatch(/before-restore-/)
    expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
  })

  it('sets aside a WAL left without its journal, so it is never replayed into the restored one', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    mkdirSync(target.dataDir, { recursive: true })
    writeFileSync(join(target.dataDir, 'storeguard.db-wal'), Buffer.alloc(4096, 9))
    const result = restoreBackup(archive, target, { now: () => new Date('2026-12-07T05:30:00Z') })
    expect(readdirSync(target.dataDir).sort()).toEqual([
      'storeguard.db',
      'storeguard.db.before-restore-20261207T053000Z-wal',
    ])
    expect(result.keptAside).toBe(join(target.dataDir, 'storeguard.db.before-restore-20261207T053000Z'))
    expect(ids(target.dataDir, 'alarms')).toEqual(['a-1'])
  })

  it('writes the config and holiday files into --config-out under their own names, replacing one only with --force', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    const out = join(store.dir, 'new-etc')
    mkdirSync(out)
    writeFileSync(join(out, 'storeguard.yaml'), 'store: { id: example }\n')
    expect(refusal(() => restoreBackup(archive, target, { configOut: out }))).toMatch(/storeguard.yaml exists/)
    expect(existsSync(target.dataDir), 'a refused restore writes nothing').toBe(false)
    restoreBackup(archive, target, { configOut: out, force: true })
    expect(readFileSync(join(out, 'storeguard.yaml'), 'utf8')).toBe(readFileSync(store.files.configFile, 'utf8'))
    expect(readdirSync(out).sort()).toEqual([
      'holidays.json',
      'storeguard.yaml',
      expect.stringMatching(/^storeguard\.yaml\.before-restore-/),
    ])
  })
})
