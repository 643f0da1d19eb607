import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { BACKUP_FORMAT_VERSION, sha256 } from './manifest.js'
import { readBackup } from './readBackup.js'
import { backupOf, storeOnDisk, tamper } from './testing/backupFixture.js'

/** The error `run` throws, for its code and one-line message. */
function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run()
  } catch (err) {
    if (isStoreGuardError(err)) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('did not throw')
}

describe('checking a backup archive', () => {
  let store: ReturnType<typeof storeOnDisk> | undefined
  afterEach(() => store?.remove())

  it('accepts a fresh backup: its manifest lists the journal, config and holiday file with their checksums', async () => {
    store = storeOnDisk()
    const backup = readBackup(await backupOf(store.files, store.dir))
    expect(backup.manifest).toMatchObject({ storeId: 'shop-1', formatVersion: BACKUP_FORMAT_VERSION })
    expect(backup.manifest.files.map((f) => [f.name, f.role])).toEqual([
      ['journal/storeguard.db', 'journal'],
      ['config/storeguard.yaml', 'config'],
      ['config/holidays.json', 'holidayOverrides'],
    ])
    expect(backup.manifest.journalSchemaVersion).toBeGreaterThan(0)
    expect(backup.setupFiles[0]?.data.toString()).toContain('$' + '{ADMIN_HASH}')
  })

  it('refuses a file that is not an archive, or was cut short', async () => {
    store = storeOnDisk()
    const { dir } = store
    const junk = join(dir, 'junk.tar.gz')
    writeFileSync(junk, 'hello')
    expect(errorOf(() => readBackup(junk))).toMatchObject({ code: 'backup_invalid', message: /not a readable backup/ })
    expect(errorOf(() => readBackup(join(dir, 'absent.tar.gz')))).toMatchObject({ message: /ENOENT/ })
  })

  it('refuses a file whose bytes do not match the checksum in the manifest', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    tamper(archive, (files) => {
      files.set('config/storeguard.yaml', Buffer.from('store: { id: shop-2 }\napi: { users: [] }\n'.padEnd(95, ' ')))
      return undefined
    })
    expect(errorOf(() => readBackup(archive)).message).toMatch(
      /storeguard.yaml (has \d+ bytes|does not match its sha256)/,
    )
  })

  it('refuses a backup with a listed file missing', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    tamper(archive, (files) => {
      files.delete('config/holidays.json')
      return undefined
    })
    expect(errorOf(() => readBackup(archive)).message).toMatch(/holidays.json is missing from the archive/)
  })

  it('refuses a newer backup format, and an archive without a manifest', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    tamper(archive, (_files, m) => ({ ...m, formatVersion: BACKUP_FORMAT_VERSION + 1 }))
    expect(errorOf(() => readBackup(archive)).message).toMatch(/backup format 2 is newer than this gateway reads/)
    tamper(archive, (_files, m) => ({ ...m, format: 'something-else' }) as never)
    expect(errorOf(() => readBackup(archive)).message).toMatch(/not a StoreGuard backup manifest/)
  })

  it('refuses a journal that is not a sound SQLite file, even with a matching checksum', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const garbage = Buffer.alloc(8192, 3)
    tamper(archive, (files, m) => {
      files.set('journal/storeguard.db', garbage)
      return {
        ...m,
        files: m.files.map((f) => (f.role === 'journal' ? { ...f, size: garbage.length, sha256: sha256(garbage) } : f)),
      }
    })
    expect(errorOf(() => readBackup(archive)).message).toMatch(/the journal in it is not a readable SQLite file/)
  })

  it('refuses a manifest whose schema version is not the journal’s', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    tamper(archive, (_files, m) => ({ ...m, journalSchemaVersion: m.journalSchemaVersion + 5 }))
    expect(errorOf(() => readBackup(archive)).message).toMatch(/the manifest says/)
  })
})
