import type { MemoryMb, StoreLoadResult } from './storeLoad.js'

/**
 * How far RSS may move from idle before the logins count as having grown it, MB. Under 16 MiB,
 * what one scrypt check used to leave behind (docs/performance.md#password-hashes), so even one
 * retained check buffer shows; above the few MB that the heap of 40 devices' state and V8's
 * young generation move by under a light load (bench/README.md "Store load").
 */
export const LOGIN_RSS_TOLERANCE_MB = 10

const KB = 1024
/** The load's first minute: the logins, and the alarms raised in the idle minute clearing. */
const SETTLE_SEC = 60
const fixed = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—')
const kb = (bytes: number) => `${fixed(bytes / KB)} KB`
const mem = (m: MemoryMb) => `${fixed(m.rss, 1)} (${fixed(m.anon, 1)})`

/** The store-load figures and their targets (docs/performance.md#the-board), for the terminal and the README. */
export function formatStoreLoad(r: StoreLoadResult, minutes: number, blipEverySec: number): string {
  const hours = r.loadSec / 3600
  const perHour = (bytes: number) => `${kb(bytes / hours)}/h`
  const where = r.mount ? `${r.mount.device}, ${r.mount.type}` : 'unknown filesystem'
  const reports = r.reports
  const out = [
    `store load: ${r.devices} MQTT devices with their own logins, a report every 5 s each, a connection drop per device every ${blipEverySec > 0 ? `${blipEverySec} s` : '— (off)'}, ${fixed(minutes, 1)} min, embedded broker, InfluxDB on`,
    `  data dir: ${r.dataDir} (${where}); V8 flags: ${r.nodeArgs || 'none'}`,
    `  RSS MB (anon): idle ${mem(r.rssIdle)} → after the logins ${mem(r.rssAfterLogins)} → end ${mem(r.rssEnd)}; peak ${fixed(r.rssLoadPeakMb, 1)} under load (${fixed(r.rssLoadPeakAtSec)} s after the first login), ${fixed(r.rssSinceStartPeakMb, 1)} since start (VmHWM)`,
    `  logins: ${r.devices} in ${fixed(r.loginMs)} ms; ${reports.logins} logins, ${reports.blips} drops over the run`,
    `  reports: ${reports.published} sent, ${reports.acked} acknowledged, ${reports.landed} points in InfluxDB`,
    `  CPU, % of one core: ${fixed(r.cpuIdlePercent, 2)} idle, ${fixed(r.cpuLoadPercent, 2)} at store load`,
    `  disk writes (write_bytes): ${kb(r.writeBytesIdle)} while idle; ${kb(r.writeBytesLoad)} at load = ${perHour(r.writeBytesLoad)}, ${fixed(r.writeBytesLoad / Math.max(1, reports.acked), 1)} B per report, in ${r.writeSlices.withWrites} of ${r.writeSlices.total} 10-s slices (cancelled ${kb(r.cancelledWriteBytesLoad)})`,
    `  log output: ${perHour(r.logBytesLoad)} (journald's to store under systemd)`,
    `  data files at the end: ${r.files.map((f) => `${f.name} ${kb(f.bytes)}`).join(', ') || 'none'}`,
    '',
    'store-load targets (docs/performance.md#the-board):',
  ]
  const check = (ok: boolean, text: string) => out.push(`  [${ok ? 'met ' : 'MISS'}] ${text}`)
  check(r.rssIdle.rss <= 80, `RSS idle ≤ 80 MB (production config, 40 devices): ${fixed(r.rssIdle.rss)} MB`)
  const grown = Math.max(r.rssAfterLogins.rss, r.rssEnd.rss) - r.rssIdle.rss
  check(
    grown <= LOGIN_RSS_TOLERANCE_MB,
    `logins leave RSS where it was (after the logins and at the end ≤ idle + ${LOGIN_RSS_TOLERANCE_MB} MB): +${fixed(grown, 1)} MB`,
  )
  out.push(`  [info] CPU at store load: ${fixed(r.cpuLoadPercent, 2)} % of one core`)
  // the first minute holds the alarms of the idle minute (supervision: no device heard within its heartbeat) and
  // their clearing at the logins: alarm changes, journaled by design (docs/design.md#journal-before-publish)
  const settled = r.writeBursts.filter((w) => w.atSec > SETTLE_SEC).reduce((sum, w) => sum + w.bytes, 0)
  const settledHours = Math.max(0, r.loadSec - SETTLE_SEC) / 3600
  out.push(
    `  [info] disk writes at store load: ${perHour(r.writeBytesLoad)} (${fixed(r.writeBytesLoad / Math.max(1, reports.acked), 1)} B per report); after the first minute ${settledHours > 0 ? `${kb(settled / settledHours)}/h` : '—'}`,
  )
  return out.join('\n')
}
