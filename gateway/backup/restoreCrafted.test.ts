import { mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { JOURNAL_MIGRATIONS } from '../storage/journalSchema.js'
import { describeFile } from './manifest.js'
import { readBackup } from './readBackup.js'
import { restoreBackup } from './restoreBackup.js'
import { checkRestore } from './restoreChecks.js'
import { backupOf, storeOnDisk, tamper } from './testing/backupFixture.js'

const CURRENT = JOURNAL_MIGRATIONS.at(-1)?.version ?? 0

/** Archives built with the archive writer to point restore elsewhere: it must refuse them, forced or not. */
describe('restoring a crafted archive', () => {
  let store: ReturnType<typeof storeOnDisk> | undefined
  afterEach(() => store?.remove())

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

  it.each([
    ['config/..', 'config'],
    ['config/.', 'holidayOverrides'],
    ['config/../../evil', 'config'],
    ['config/sub/x.yaml', 'config'],
    ['/etc/passwd', 'config'],
    ['journal/../storeguard.db', 'journal'],
  ] as const)('refuses a manifest naming %s, even forced, and writes nothing', async (name, role) => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const data = Buffer.from('not a folder\n')
    tamper(archive, (files, m) => {
      if (role === 'journal') files.delete('journal/storeguard.db')
      files.set(name, role === 'journal' ? (files.get('journal/storeguard.db') ?? data) : data)
      const kept = m.files.filter((f) => role !== 'journal' || f.role !== 'journal')
      return { ...m, files: [...kept, describeFile(name, role, '/x', files.get(name) ?? data)] }
    })
    const parent = join(store.dir, 'new')
    const out = join(parent, 'etc')
    mkdirSync(out, { recursive: true })
    const target = { ...store.files, dataDir: join(parent, 'data') }
    expect(failure(() => restoreBackup(archive, target, { configOut: out, force: true }))).toMatch(
      /^backup_invalid: .*not a name a StoreGuard backup uses/,
    )
    expect(statSync(parent).isDirectory() && statSync(out).isDirectory()).toBe(true)
    expect(readdirSync(parent).sort()).toEqual(['etc'])
    expect(readdirSync(out)).toEqual([])
  })

  it('refuses a file in the archive that its manifest does not list', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    tamper(archive, (files) => {
      files.set('config/extra.yaml', Buffer.from('x: 1\n'))
      return undefined
    })
    expect(
      failure(() => restoreBackup(archive, { ...store?.files, dataDir: join(store?.dir ?? '', 'd') } as never)),
    ).toMatch(/config\/extra.yaml is in the archive but not in its manifest.json/)
  })

  it('checks the names again where they become paths: nothing outside the folder, no folder replaced, no two files on one path', async () => {
    store = storeOnDisk()
    const archive = await backupOf(store.files, store.dir)
    const backup = readBackup(archive)
    const out = join(store.dir, 'out')
    mkdirSync(join(out, 'storeguard.yaml'), { recursive: true })
    const options = { force: true, configOut: out, highestSchemaVersion: CURRENT }
    const target = { ...store.files, dataDir: join(store.dir, 'd') }
    const [config, holidays] = backup.setupFiles as [(typeof backup.setupFiles)[0], (typeof backup.setupFiles)[0]]
    const renamed = (name: string) => ({ ...config, file: { ...config.file, name } })
    const check = (setupFiles: (typeof backup.setupFiles)[0][], opts = options) =>
      failure(() => checkRestore(archive, { ...backup, setupFiles }, target, opts))
    expect(check([renamed('config/..')])).toMatch(/"config\/\.\." is not a config or holiday file name/)
    expect(check([renamed('journal/x')])).toMatch(/not a config or holiday file name/)
    expect(check([config])).toMatch(/storeguard.yaml is a folder/)
    expect(check([holidays, holidays])).toMatch(/two of its files would both be written to .*holidays.json$/)
    mkdirSync(target.dataDir)
    expect(check([renamed('config/storeguard.db')], { ...options, configOut: target.dataDir })).toMatch(
      /storeguard.db is the journal/,
    )
  })
})
