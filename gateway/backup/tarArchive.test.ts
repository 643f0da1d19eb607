import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { MAX_BACKUP_BYTES, packTarGz, unpackTarGz } from './tarArchive.js'

const entries = [
  { name: 'manifest.json', data: Buffer.from('{"a":1}\n') },
  { name: 'journal/storeguard.db', data: Buffer.alloc(5000, 7) },
  { name: 'config/empty.json', data: Buffer.alloc(0) },
]

describe('the backup archive', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('gives back every file it was given, byte for byte', () => {
    const files = unpackTarGz(packTarGz(entries, Date.UTC(2026, 11, 7)))
    expect([...files.keys()]).toEqual(entries.map((e) => e.name))
    for (const e of entries) expect(files.get(e.name)?.equals(e.data)).toBe(true)
  })

  it('is a tar.gz the system tar lists and extracts, so an operator can look inside without StoreGuard', () => {
    const file = join(dir.path, 'b.tar.gz')
    writeFileSync(file, packTarGz(entries, Date.now()))
    expect(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(
      entries.map((e) => e.name),
    )
    const out = join(dir.path, 'out')
    mkdirSync(out)
    execFileSync('tar', ['-xzf', file, '-C', out])
    expect(readFileSync(join(out, 'journal/storeguard.db')).equals(entries[1]?.data ?? Buffer.alloc(0))).toBe(true)
  })

  it('reads an archive the system tar wrote, directories included', () => {
    const src = join(dir.path, 'src')
    mkdirSync(join(src, 'config'), { recursive: true })
    writeFileSync(join(src, 'config', 'storeguard.yaml'), 'store: { id: s }\n')
    const file = join(dir.path, 'gnu.tar.gz')
    execFileSync('tar', ['-czf', file, '-C', src, 'config'])
    const files = unpackTarGz(readFileSync(file))
    expect(files.get('config/storeguard.yaml')?.toString()).toBe('store: { id: s }\n')
  })

  it('refuses what is not gzip, a cut-short archive and a damaged header', () => {
    const good = packTarGz(entries, 0)
    expect(() => unpackTarGz(Buffer.from('not an archive'))).toThrow(/not a gzip file/)
    expect(() => unpackTarGz(good.subarray(0, good.length - 40))).toThrow(/not a gzip file or truncated/)
    const tar = Buffer.from(execFileSync('gzip', ['-dc'], { input: good }))
    expect(() => unpackTarGz(gzipSync(tar.subarray(0, 1024)))).toThrow(/cut short|end-of-archive/)
    tar[10] = 0x41
    expect(() => unpackTarGz(gzipSync(tar))).toThrow(/damaged tar header/)
  })

  it('refuses the same name twice', () => {
    const twice = packTarGz([entries[0] as never, entries[0] as never], 0)
    expect(() => unpackTarGz(twice)).toThrow(/twice/)
  })

  it('stops inflating at the size limit, so a few kilobytes that unpack to gigabytes cannot exhaust memory', () => {
    const mib = 1024 * 1024
    const bomb = packTarGz([{ name: 'journal/storeguard.db', data: Buffer.alloc(8 * mib) }], 0)
    expect(bomb.length).toBeLessThan(16 * 1024)
    expect(() => unpackTarGz(bomb, mib)).toThrow(/^unpacks to more than 1 MiB, the most a backup may hold$/)
    expect(unpackTarGz(bomb, 9 * mib).get('journal/storeguard.db')?.length).toBe(8 * mib)
    expect(MAX_BACKUP_BYTES).toBe(512 * mib)
  })

  it('refuses to pack more than restore would read', () => {
    const mib = 1024 * 1024
    expect(() => packTarGz([{ name: 'journal/storeguard.db', data: Buffer.alloc(2 * mib) }], 0, mib)).toThrow(
      /would unpack to 2 MiB, more than restore reads \(1 MiB\)/,
    )
  })
})
