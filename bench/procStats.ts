import { readFileSync } from 'node:fs'
import { parseResidentMemory, statusBytes } from '../gateway/memory/processMemory.js'

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status); 0 once it is gone. */
export function rssOf(pid: number): number {
  return statusOf(pid).rss
}

/** The memory figures of /proc/<pid>/status that the store-load figures use, in bytes. */
export interface ProcMemory {
  /** VmRSS: resident now. */
  readonly rss: number
  /** RssAnon: the resident part that is the process's own (heap, stacks), not mapped files such as the node binary. */
  readonly rssAnon: number
  /** VmHWM: the highest RSS since the process started. */
  readonly rssPeak: number
}

/** Parses the text of /proc/<pid>/status; a field the kernel does not show reads as 0. */
export function parseProcStatus(text: string): ProcMemory {
  const { rss, anon } = parseResidentMemory(text)
  return { rss, rssAnon: anon, rssPeak: statusBytes(text, 'VmHWM') }
}

/** The memory figures of a process now; all 0 once it is gone. */
export function statusOf(pid: number): ProcMemory {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return { rss: 0, rssAnon: 0, rssPeak: 0 }
  }
}

/** The I/O counters of /proc/<pid>/io that the store-load figures use, in bytes. */
export interface ProcIo {
  /** Bytes handed to write(2)-like calls: files, but also pipes and sockets. */
  readonly wchar: number
  /** Bytes the process caused to be sent to the block layer (counted when pages are dirtied); 0 on tmpfs. */
  readonly writeBytes: number
  /** Dirtied bytes that never reached the disk (the file was truncated or deleted first). */
  readonly cancelledWriteBytes: number
}

/** Parses the text of /proc/<pid>/io (`key: value` lines); a counter the kernel does not show reads as 0. */
export function parseProcIo(text: string): ProcIo {
  const counters = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s*(\d+)\s*$/.exec(line)
    if (match?.[1] !== undefined && match[2] !== undefined) counters.set(match[1], Number(match[2]))
  }
  return {
    wchar: counters.get('wchar') ?? 0,
    writeBytes: counters.get('write_bytes') ?? 0,
    cancelledWriteBytes: counters.get('cancelled_write_bytes') ?? 0,
  }
}

/**
 * Parses the CPU time of a process from the text of /proc/<pid>/stat: utime + stime (fields 14
 * and 15, proc(5)), in clock ticks. The second field, the command name in parentheses, may hold
 * spaces and parentheses itself, so fields are counted from the last `)`.
 */
export function parseCpuTicks(text: string): number {
  const end = text.lastIndexOf(')')
  if (end < 0) throw new Error('not a /proc/<pid>/stat line')
  // after the `)`: field 3 (state) is the first, so utime (14) is the 12th and stime (15) the 13th
  const fields = text
    .slice(end + 1)
    .trim()
    .split(/\s+/)
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('no utime/stime in /proc/<pid>/stat')
  return utime + stime
}

/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture Node runs on. */
export const CLOCK_TICKS_PER_SEC = 100

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  return parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / CLOCK_TICKS_PER_SEC
}

/** The I/O counters of a process so far. */
export function ioOf(pid: number): ProcIo {
  return parseProcIo(readFileSync(`/proc/${pid}/io`, 'utf8'))
}

/** The mount a path lives on, from the text of /proc/mounts. */
export interface Mount {
  readonly device: string
  readonly mountPoint: string
  /** e.g. ext4, xfs, tmpfs, overlay */
  readonly type: string
}

/**
 * The mount that holds `path` (absolute, resolved): the entry of /proc/mounts with the longest
 * mount point that is `path` or a parent of it; the last such entry when one is mounted over
 * another. Mount points escape spaces and the like as octal (`\040`).
 */
export function mountOf(path: string, mountsText: string): Mount | null {
  let best: Mount | null = null
  for (const line of mountsText.split('\n')) {
    const [device, rawPoint, type] = line.split(' ')
    if (device === undefined || rawPoint === undefined || type === undefined) continue
    const mountPoint = rawPoint.replace(/\\([0-7]{3})/g, (_, octal: string) =>
      String.fromCharCode(Number.parseInt(octal, 8)),
    )
    const holds = mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`)
    if (holds && (best === null || mountPoint.length >= best.mountPoint.length)) best = { device, mountPoint, type }
  }
  return best
}

/** The mount that holds `path`, from this machine's /proc/mounts. */
export function mountOfPath(path: string): Mount | null {
  return mountOf(path, readFileSync('/proc/mounts', 'utf8'))
}
