import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../../test/support/tempDir.js'
import { openDatabase } from '../../storage/database.js'
import { createBackup } from '../createBackup.js'
import { MANIFEST_NAME, type Manifest } from '../manifest.js'
import type { StoreFiles } from '../storeFiles.js'
import { packTarGz, unpackTarGz } from '../tarArchive.js'

/** A store on disk: a config, a holiday file, and a journal with one alarm and one ticket. */
export function storeOnDisk(storeId = 'shop-1'): { files: StoreFiles; dir: string; remove: () => void } {
  const dir = tempDir('storeguard-backup-')
  const etc = join(dir.path, 'etc')
  mkdirSync(etc)
  const configFile = join(etc, 'storeguard.yaml')
  writeFileSync(configFile, `store: { id: ${storeId} }\napi: { users: [{ name: a, tokenHash: \${ADMIN_HASH} }] }\n`)
  writeFileSync(join(etc, 'holidays.json'), '{"holidays": ["2026-10-01"]}\n')
  const dataDir = join(dir.path, 'data')
  const db = openDatabase(dataDir)
  db.prepare("INSERT INTO alarms VALUES ('a-1', 'fire:hall', 'active', '2026-12-07T05:00:00Z', '{}')").run()
  db.prepare("INSERT INTO tickets VALUES ('t-1', 'terminal-1', 'open', 'x', 'x', '{}')").run()
  db.close()
  return {
    files: { storeId, dataDir, configFile, holidayOverrides: 'holidays.json' },
    dir: dir.path,
    remove: dir.remove,
  }
}

/** Writes a backup of `files` into `dir` and returns its path. */
export async function backupOf(files: StoreFiles, dir: string): Promise<string> {
  return (await createBackup(files, { cwd: dir })).file
}

/** Rewrites an archive: `change` may edit, add or delete files and the manifest. */
export function tamper(
  archive: string,
  change: (files: Map<string, Buffer>, manifest: Manifest) => Manifest | undefined,
): void {
  const files = unpackTarGz(readFileSync(archive))
  const manifest = JSON.parse(files.get(MANIFEST_NAME)?.toString() ?? '{}') as Manifest
  const next = change(files, manifest) ?? manifest
  files.set(MANIFEST_NAME, Buffer.from(JSON.stringify(next)))
  writeFileSync(
    archive,
    packTarGz(
      [...files].map(([name, data]) => ({ name, data })),
      Date.now(),
    ),
  )
}
