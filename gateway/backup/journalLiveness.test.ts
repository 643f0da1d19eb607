import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../test/support/repoRoot.js'
import { tempDir } from '../../test/support/tempDir.js'
import { openDatabase } from '../storage/database.js'
import { journalLiveness } from './journalLiveness.js'

/** Another process with the journal open as the built gateway opens it, idle between writes; resolves once it has written. */
async function holder(dataDir: string) {
  const script = `
    import { openJournalFile } from ${JSON.stringify(join(REPO_ROOT, 'dist', 'gateway', 'storage', 'journalFile.js'))}
    const db = openJournalFile(${JSON.stringify(dataDir)}, 'storeguard.db')
    db.prepare("INSERT INTO alarms VALUES ('a-9', 'k', 'active', 'x', '{}')").run()
    console.log('ready')
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => l === 'ready' && resolve())
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)))
  })
  return {
    kill9() {
      child.kill('SIGKILL')
      return exited
    },
  }
}

describe('telling whether a gateway has the journal open', () => {
  const dirs: ReturnType<typeof tempDir>[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove()
  })

  it('says no for a journal nobody has open, or none at all', () => {
    const dir = tempDir()
    dirs.push(dir)
    expect(journalLiveness(join(dir.path, 'storeguard.db'))).toEqual({ kind: 'free' })
    openDatabase(dir.path).close()
    expect(journalLiveness(join(dir.path, 'storeguard.db'))).toEqual({ kind: 'free' })
  })

  it('says yes while another process has it open, and no once that process is killed with kill -9', async () => {
    const dir = tempDir()
    dirs.push(dir)
    openDatabase(dir.path).close()
    const other = await holder(dir.path)
    expect(journalLiveness(join(dir.path, 'storeguard.db')), 'while the other process runs').toEqual({ kind: 'in_use' })
    await other.kill9()
    expect(journalLiveness(join(dir.path, 'storeguard.db')), 'after kill -9').toEqual({ kind: 'free' })
    // what the killed process wrote is still there
    const db = openDatabase(dir.path)
    expect(db.prepare("SELECT id FROM alarms WHERE id = 'a-9'").pluck().get()).toBe('a-9')
    db.close()
  })

  it('says a file that is not a SQLite database is unreadable, with its code, instead of throwing', () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'storeguard.db')
    for (const garbage of [Buffer.alloc(8192, 3), Buffer.from('hello')]) {
      writeFileSync(file, garbage)
      expect(journalLiveness(file)).toEqual({ kind: 'unreadable', code: 'SQLITE_NOTADB' })
    }
  })
})
