import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { createBackup, defaultName } from './createBackup.js'
import { storeOnDisk } from './testing/backupFixture.js'

describe('taking a backup', () => {
  let store: ReturnType<typeof storeOnDisk> | undefined
  afterEach(() => store?.remove())

  it('names the archive after the store and the UTC time', () => {
    expect(defaultName('shop 1/a', new Date('2026-12-07T05:10:02.123Z'))).toBe(
      'storeguard-backup-shop_1_a-20261207T051002Z.tar.gz',
    )
  })

  it('writes into a folder given as --out under that name, readable by its owner only, leaving nothing else behind', async () => {
    store = storeOnDisk()
    const out = join(store.dir, 'backups')
    mkdirSync(out)
    const now = () => new Date('2026-12-07T05:10:02Z')
    const result = await createBackup(store.files, { out, now })
    expect(result.file).toBe(join(out, 'storeguard-backup-shop-1-20261207T051002Z.tar.gz'))
    expect(readdirSync(out)).toEqual(['storeguard-backup-shop-1-20261207T051002Z.tar.gz'])
    expect(statSync(result.file).mode & 0o777).toBe(0o600)
    expect(result.manifest.createdAt).toBe('2026-12-07T05:10:02.000Z')
  })

  it('says which file is missing: the journal, or the holiday file the config names', async () => {
    store = storeOnDisk()
    const { files, dir } = store
    rmSync(join(dir, 'etc', 'holidays.json'))
    await expect(createBackup(files, { cwd: dir })).rejects.toThrow(/holidays.json: ENOENT/)
    rmSync(files.dataDir, { recursive: true })
    const err = await createBackup(files, { cwd: dir }).catch((e: unknown) => e)
    expect(isStoreGuardError(err, 'backup_failed')).toBe(true)
    expect((err as Error).message).toMatch(/no journal to back up/)
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it('refuses a config whose file name restore would not take, rather than write a backup it refuses', async () => {
    store = storeOnDisk()
    const configFile = join(store.dir, 'etc', 'store guard.yaml')
    renameSync(store.files.configFile, configFile)
    await expect(createBackup({ ...store.files, configFile }, { cwd: store.dir })).rejects.toThrow(
      /store guard.yaml: restore takes only file names/,
    )
  })
})
