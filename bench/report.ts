import { formatStalls, type LoopStalls } from './loopStalls.js'
import { STEADY_TO } from './steadyRate.js'

/** One contender's figures; null where a figure does not apply (the ceiling raises no alarms). */
export interface ContenderResult {
  readonly name: string
  readonly ingestQos0: number
  readonly ingestQos1: number
  /** CPU time of the contender's process (utime + stime) per 1000 readings landed, QoS 0 and QoS 1, ms. */
  readonly cpuMsPer1000: readonly [number, number]
  /** Whether it landed readings as fast as the load generator published them (QoS 0, QoS 1): then its rate is a floor. */
  readonly generatorBound: readonly [boolean, boolean]
  /** Whether the rate is the one to 90 % landed (QoS 0, QoS 1); false: first publish → last landed. */
  readonly steady: readonly [boolean, boolean]
  /** Readings landed ÷ sent over both ingest runs (1 = nothing lost). */
  readonly landedShare: number
  readonly latency50: Latency | null
  readonly latency90: Latency | null
  /** RSS 3 s after the start, before the load: not an idle figure (the store-load scenario has that). */
  readonly rssAt3sMb: number
  readonly rssPeakMb: number
  readonly startupMs: number | null
}

/** `stalls`: the gateway's longest event-loop stalls while the latency was measured (bench/loopStalls.ts). */
type Latency = { readonly p50: number; readonly p99: number; readonly max: number; readonly stalls?: LoopStalls | null }

const fixed = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits)

const ingestCell = (r: ContenderResult, qos: 0 | 1) =>
  `${r.generatorBound[qos] ? '≥ ' : ''}${fixed(qos === 0 ? r.ingestQos0 : r.ingestQos1)}${r.steady[qos] ? '' : ' *'}`

/** The results as a plain-text table, the ratios and the benchmark targets (docs/requirements.md#benchmarks), for the terminal and the README. */
export function formatReport(
  results: readonly ContenderResult[],
  replay: { points: number; perSec: number },
  machine: string,
): string {
  const rows = results.map((r) => [
    r.name,
    ingestCell(r, 0),
    ingestCell(r, 1),
    `${fixed(r.landedShare * 100, 1)} %`,
    `${fixed(r.cpuMsPer1000[0], 1)} / ${fixed(r.cpuMsPer1000[1], 1)}`,
    r.latency50 ? `${fixed(r.latency50.p50, 1)} / ${fixed(r.latency50.p99, 1)} / ${fixed(r.latency50.max, 1)}` : '—',
    r.latency90 ? `${fixed(r.latency90.p50, 1)} / ${fixed(r.latency90.p99, 1)} / ${fixed(r.latency90.max, 1)}` : '—',
    fixed(r.rssAt3sMb),
    fixed(r.rssPeakMb),
    fixed(r.startupMs),
  ])
  const header = [
    'contender',
    'ingest QoS0 /s',
    'ingest QoS1 /s',
    'landed',
    'CPU ms/1000 QoS0/1',
    'alarm ms @50% p50/p99/max',
    'alarm ms @90% p50/p99/max',
    'RSS at 3 s MB',
    'RSS peak MB',
    'start ms',
  ]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  const out = [machine, '', line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)]
  for (const r of results.filter((r) => r.latency50?.stalls))
    out.push(
      `${r.name}, event-loop stalls @50%: ${formatStalls(r.latency50?.stalls)}; @90%: ${formatStalls(r.latency90?.stalls)}`,
    )
  out.push(
    '',
    `ingest: ${STEADY_TO * 100} % of each run's readings ÷ the time from the first publish until they had landed in InfluxDB (bench/README.md);`,
    '  ≥: it landed them as fast as the load generator published them, so it may be faster still;',
    '  *: the count never reached 90 %: first publish → last landed, not comparable',
    `replay from the disk buffer: ${fixed(replay.perSec)} points/s (${replay.points} points)`,
  )

  const find = (prefix: string) => results.find((r) => r.name === prefix)
  const sg = find('StoreGuard')
  const nr = find('Node-RED')
  const ceiling = find('ceiling (mqtt.js → line protocol → HTTP)')
  const best = (r: ContenderResult | undefined) => (r ? Math.max(r.ingestQos0, r.ingestQos1) : Number.NaN)
  if (sg) {
    out.push('', 'ratios (same broker, same influxd, same run):')
    if (nr) out.push(`  ingest StoreGuard ÷ Node-RED: ${fixed(best(sg) / best(nr), 2)} (target ≥ 2, goal 3)`)
    if (ceiling) {
      const floor = ceiling.generatorBound[ceiling.ingestQos0 >= ceiling.ingestQos1 ? 0 : 1]
      out.push(
        `  ingest StoreGuard ÷ ceiling:  ${fixed(best(sg) / best(ceiling), 2)} (target ≥ 0.80)${floor ? ' — at most: the ceiling kept up with the load generator' : ''}`,
      )
    }
    if (nr) out.push(`  RSS 3 s after the start StoreGuard ÷ Node-RED: ${fixed(sg.rssAt3sMb / nr.rssAt3sMb, 2)}`)
    out.push('', 'targets (docs/requirements.md#benchmarks, docs/performance.md):')
    const check = (ok: boolean, text: string) => out.push(`  [${ok ? 'met ' : 'MISS'}] ${text}`)
    // alarms ahead of telemetry in both broker modes
    for (const r of [sg, find('StoreGuard (embedded broker)')]) {
      if (!r) continue
      const p99 = (l: Latency | null) => l?.p99 ?? Number.POSITIVE_INFINITY
      check(p99(r.latency50) <= 5, `${r.name}: alarm p99 ≤ 5 ms at 50 % load: ${fixed(r.latency50?.p99, 1)} ms`)
      check(p99(r.latency90) <= 10, `${r.name}: alarm p99 ≤ 10 ms at 90 % load: ${fixed(r.latency90?.p99, 1)} ms`)
    }
    // the idle target is the store-load scenario's (production config, 60 s after the start), checked there:
    // 3 s after the start, before the load, the gateway still holds its start-up's garbage and pages
    check(sg.rssPeakMb <= 150, `RSS peak ≤ 150 MB: ${fixed(sg.rssPeakMb)} MB`)
    check((sg.startupMs ?? Number.POSITIVE_INFINITY) <= 1500, `start-up ≤ 1.5 s: ${fixed(sg.startupMs)} ms`)
    check(replay.perSec >= 100_000, `replay ≥ 100 000 points/s: ${fixed(replay.perSec)}`)
    if (nr) check(best(sg) >= 2 * best(nr), `ingest ≥ 2 × Node-RED (goal 3 ×): ${fixed(best(sg) / best(nr), 2)} ×`)
    if (ceiling)
      check(
        best(sg) >= 0.8 * best(ceiling),
        `ingest ≥ 80 % of the ceiling: ${fixed((best(sg) / best(ceiling)) * 100)} %`,
      )
  }
  return out.join('\n')
}
