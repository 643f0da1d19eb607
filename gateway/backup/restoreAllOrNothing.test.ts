import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { openDatabase } from '../storage/database.js'
import { restoreBackup } from './restoreBackup.js'
import type { StoreFiles } from './storeFiles.js'
import { backupOf, storeOnDisk } from './testing/backupFixture.js'

/** The code and message `run` throws. */
function failure(run: () => unknown): string {
  try {
    run()
  } catch (err) {
    if (isStoreGuardError(err)) return `${err.code}: ${err.message}`
    throw err
  }
  throw new Error('did not fail')
}

function alarms(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'storeguard.db'), { readonly: true })
  try {
    return db.prepare('SELECT id FROM alarms ORDER BY id').pluck().all() as string[]
  } finally {
    db.close()
  }
}

/**
 * Tests run as root, which file modes do not stop; the writes are made to
 * fail with paths instead: a folder under a regular file, or a directory
 * squatting on the hidden name a file is first written under.
 */
describe('a restore that cannot write everything writes nothing', () => {
  let store: ReturnType<typeof storeOnDisk> | undefined
  afterEach(() => store?.remove())

  const freshGateway = (files: StoreFiles): StoreFiles => ({ ...files, dataDir: join(store?.dir ?? '', 'new', 'data') })

  it('refuses a --config-out that is not a folder before touching the journal', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const target = freshGateway(store.files)
    writeFileSync(join(store.dir, 'a-file'), 'x')
    for (const out of [join(store.dir, 'a-file', 'etc'), join(store.dir, 'a-file'), join(store.dir, 'absent')]) {
      expect(failure(() => restoreBackup(archive, target, { configOut: out }))).toBe(
        `restore_refused: --config-out ${out} is not a folder: create it first`,
      )
    }
    expect(existsSync(target.dataDir)).toBe(false)
  })

  it('stops before the journal when a setup file cannot be written, and leaves no part of the others', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const db = openDatabase(store.files.dataDir)
    db.prepare("INSERT INTO alarms VALUES ('a-2', 'leak:x', 'active', 'x', '{}')").run()
    db.close()
    const etc = join(store.dir, 'etc')
    const before = readdirSync(etc).sort()
    // the holiday file is written second: the config before it was already staged
    mkdirSync(join(etc, `.holidays.json.restored.${process.pid}.partial`))
    expect(failure(() => restoreBackup(archive, store?.files as StoreFiles, { force: true }))).toMatch(
      /^backup_failed: .*holidays.json.restored: cannot write the restored file \(EEXIST\); nothing was restored$/,
    )
    expect(alarms(store.files.dataDir), 'the journal is the one it had').toEqual(['a-1', 'a-2'])
    // (an empty -wal and -shm may be left by the checks' read-only look at the journal: SQLite's, harmless)
    expect(readdirSync(store.files.dataDir).filter((f) => !/-(wal|shm)$/.test(f))).toEqual(['storeguard.db'])
    expect(readdirSync(etc).sort()).toEqual([...before, `.holidays.json.restored.${process.pid}.partial`].sort())
    expect(readFileSync(join(store.dir, 'etc', 'storeguard.yaml'), 'utf8')).toContain('shop-1')
  })

  it('removes the staged setup files when the journal cannot be written, and puts the old journal back', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const out = join(store.dir, 'new-etc')
    mkdirSync(out)
    mkdirSync(join(store.files.dataDir, `.storeguard.db.${process.pid}.partial`))
    expect(failure(() => restoreBackup(archive, store?.files as StoreFiles, { force: true, configOut: out }))).toMatch(
      /storeguard.db: cannot write the restored journal \(EEXIST\); nothing was restored$/,
    )
    expect(readdirSync(out)).toEqual([])
    expect(alarms(store.files.dataDir)).toEqual(['a-1'])
    expect(readdirSync(store.files.dataDir).filter((f) => f.includes('before-restore'))).toEqual([])
  })
})
