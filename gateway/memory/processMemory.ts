import { readFileSync } from 'node:fs'

/** A process's resident memory in bytes, as the kernel counts it (`/proc/<pid>/status`). */
export interface ResidentMemory {
  /** VmRSS: everything resident, what `ps` and `top` show. */
  readonly rss: number
  /** RssAnon: heap, stacks, malloc's arenas: memory only swap could take back. */
  readonly anon: number
  /** RssFile: pages of mapped files (the node executable, libraries) the kernel can drop and read again. */
  readonly file: number
}

/** One `<field>: <n> kB` line of a `/proc/<pid>/status` text, in bytes; 0 for a field the kernel does not show. */
export function statusBytes(status: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? 0) * 1024
}

/** Parses the VmRSS, RssAnon and RssFile lines of a `/proc/<pid>/status` text. */
export function parseResidentMemory(status: string): ResidentMemory {
  return {
    rss: statusBytes(status, 'VmRSS'),
    anon: statusBytes(status, 'RssAnon'),
    file: statusBytes(status, 'RssFile'),
  }
}

/** Resident memory of a process on Linux (this one by default); throws where there is no /proc. */
export function residentMemory(pid: number | 'self' = 'self'): ResidentMemory {
  return parseResidentMemory(readFileSync(`/proc/${pid}/status`, 'utf8'))
}

/** The same in MB, to 0.1 MB: `{ rss: 137.3, anon: 75.6, file: 61.7 }`, as the logs give it. */
export function inMegabytes(m: ResidentMemory): ResidentMemory {
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10
  return { rss: mb(m.rss), anon: mb(m.anon), file: mb(m.file) }
}

/** `137.3 MB (anon 75.6, file 61.7)`: how the bench prints it. */
export function formatResidentMemory(m: ResidentMemory): string {
  const { rss, anon, file } = inMegabytes(m)
  return `${rss.toFixed(1)} MB (anon ${anon.toFixed(1)}, file ${file.toFixed(1)})`
}
