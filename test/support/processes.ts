import { readdirSync, readFileSync } from 'node:fs'

/**
 * Processes seen through /proc (Linux), for tests that check nothing is left
 * running: a child's children are not the test's own, so their exit events
 * cannot be awaited; whether the pid is still there can.
 */

/** Pids whose command line contains `text` (e.g. a test's temp directory, which socat's arguments name). */
export function pidsMentioning(text: string): number[] {
  return livePids().filter((pid) => commandLine(pid).includes(text))
}

/** Every descendant of `pid` alive now: children, their children, … */
export function descendantsOf(pid: number): number[] {
  const parents = new Map(livePids().map((p) => [p, parentOf(p)]))
  const found: number[] = []
  let frontier = [pid]
  while (frontier.length > 0) {
    const next = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([p]) => p)
    found.push(...next)
    frontier = next
  }
  return found
}

/** What a pid runs, arguments joined by spaces; '' once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** Alive: exists and is not a zombie waiting for its parent to reap it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return stat(pid).state !== 'Z'
  } catch {
    return false
  }
}

/**
 * Resolves once none of `pids` is alive, polling; rejects after `timeoutMs`
 * with the ones left. The timeout only bounds a failure.
 */
export async function allGone(pids: readonly number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const left = pids.filter(isAlive)
    if (left.length === 0) return
    if (Date.now() > deadline) {
      throw new Error(`still running: ${left.map((p) => `${p} ${commandLine(p)}`).join('; ')}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

function livePids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
}

function parentOf(pid: number): number {
  try {
    return stat(pid).ppid
  } catch {
    return -1
  }
}

/** /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'. */
function stat(pid: number): { state: string; ppid: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const [state = '', ppid = '-1'] = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state, ppid: Number(ppid) }
}
