import { describe, expect, it } from 'vitest'
import { mountOf, parseCpuTicks, parseProcIo, parseProcStatus } from './procStats.js'

describe('parseProcIo', () => {
  it('reads the write counters of /proc/<pid>/io', () => {
    const text = [
      'rchar: 323934931',
      'wchar: 323929600',
      'syscr: 632687',
      'syscw: 632675',
      'read_bytes: 0',
      'write_bytes: 323932160',
      'cancelled_write_bytes: 4096',
      '',
    ].join('\n')
    expect(parseProcIo(text)).toEqual({ wchar: 323929600, writeBytes: 323932160, cancelledWriteBytes: 4096 })
  })

  it('reads a counter the kernel does not show as 0', () => {
    expect(parseProcIo('rchar: 10\nwchar: 20\n')).toEqual({ wchar: 20, writeBytes: 0, cancelledWriteBytes: 0 })
  })
})

describe('parseCpuTicks', () => {
  it('adds user and system time of /proc/<pid>/stat', () => {
    const text =
      '27239 (node) R 27236 27236 23917 0 -1 4194304 100 0 0 0 1234 56 0 0 20 0 11 0 117003 3133440 358 18446744073709551615'
    expect(parseCpuTicks(text)).toBe(1290)
  })

  it('counts fields after a command name with spaces and parentheses', () => {
    const text = '42 (my (odd) name) S 1 42 42 0 -1 4194560 5 0 0 0 7 3 0 0 20 0 1 0 100 1000 10 0'
    expect(parseCpuTicks(text)).toBe(10)
  })

  it('refuses text that is not a stat line', () => {
    expect(() => parseCpuTicks('hello')).toThrow()
  })
})

describe('mountOf', () => {
  const mounts = [
    'proc /proc proc rw,relatime 0 0',
    '/dev/vda / ext4 rw,relatime 0 0',
    'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
    '/dev/vdb /work/data\\040dir xfs rw 0 0',
    '',
  ].join('\n')

  it('finds the deepest mount holding a path', () => {
    expect(mountOf('/tmp/storeguard-bench-1/data', mounts)).toEqual({
      device: 'tmpfs',
      mountPoint: '/tmp',
      type: 'tmpfs',
    })
    expect(mountOf('/work/x', mounts)?.type).toBe('ext4')
  })

  it('does not take a mount point for a parent of a sibling with the same prefix', () => {
    expect(mountOf('/tmpx/data', mounts)?.mountPoint).toBe('/')
  })

  it('reads mount points with escaped spaces', () => {
    expect(mountOf('/work/data dir/store', mounts)?.type).toBe('xfs')
  })
})

describe('parseProcStatus', () => {
  it('reads resident, own and peak memory of /proc/<pid>/status', () => {
    const text = [
      'Name:\tnode',
      'VmPeak:\t 1799780 kB',
      'VmHWM:\t  258448 kB',
      'VmRSS:\t  143384 kB',
      'RssAnon:\t   79664 kB',
      'RssFile:\t   63720 kB',
      '',
    ].join('\n')
    expect(parseProcStatus(text)).toEqual({ rss: 143384 * 1024, rssAnon: 79664 * 1024, rssPeak: 258448 * 1024 })
  })
})
