import { performance } from 'node:perf_hooks'
import { classifyFailure, type WriteFailure } from './influxClient.js'
import type { LineWriter } from './lineWriter.js'

/** Why points were dropped (label `reason` of storeguard_influx_dropped_points_total). */
export type DropReason =
  | 'buffer_full'
  | 'buffer_error'
  | 'invalid'
  | 'rejected'
  | 'field_type_conflict'
  | 'beyond_retention'
  | 'unparsable'

export type DropCounts = Partial<Record<DropReason, number>>

export interface BatchResult {
  /** Leading points that are done with: written, or dropped as bad. The rest must be kept for later. */
  readonly done: number
  /** Set when InfluxDB could not take the points after `done`. */
  readonly unavailable: WriteFailure | null
  readonly dropped: DropCounts
  /** What InfluxDB said about the first rejected point(s), for the log. */
  readonly rejectedDetail: string | null
  /** Duration of the last successful request, ms. */
  readonly latencyMs: number | null
}

/**
 * A batch is split in halves at most this many times: enough to find a few
 * bad points in 5 000 or to get under a body-size limit, without thousands of
 * requests for a batch that is bad throughout (what is left then is dropped).
 */
const BISECT_BUDGET = 32

interface Progress {
  done: number
  unavailable: WriteFailure | null
  dropped: DropCounts
  rejectedDetail: string | null
  latencyMs: number | null
  budget: number
}

/**
 * Writes lines of line protocol in order with precision ms (docs/requirements.md#influxdb,
 * docs/requirements.md#no-data-loss). `body` is `count` lines, each ending in `\n` (see lineBatch);
 * `done` counts lines in that order. A 4xx about the points never comes back
 * as "retry": InfluxDB 1.x writes the good points of a batch and answers
 * `400 partial write … dropped=N`, so those are counted and the batch is
 * done; any other 4xx (a server that refuses the whole batch, `413` too
 * large) is bisected to keep the good points and drop the bad ones.
 */
export async function writeBatch(client: LineWriter, body: string, count: number): Promise<BatchResult> {
  const progress: Progress = {
    done: 0,
    unavailable: null,
    dropped: {},
    rejectedDetail: null,
    latencyMs: null,
    budget: BISECT_BUDGET,
  }
  if (count > 0) await writeRange(client, { body, count }, progress)
  const { budget: _budget, ...result } = progress
  return result
}

/** A run of lines; `lines` is split out of `body` only once a bisection needs it (a refused batch). */
interface Range {
  readonly body: string
  readonly count: number
  lines?: readonly string[]
}

async function writeRange(client: LineWriter, range: Range, p: Progress): Promise<boolean> {
  const outcome = await attempt(client, range.body)
  if (outcome.ok) {
    p.done += range.count
    p.latencyMs = outcome.latencyMs
    return true
  }
  const failure = outcome.failure
  if (failure.kind === 'unavailable') {
    p.unavailable = failure
    return false
  }
  p.rejectedDetail ??= `${failure.status}: ${failure.detail}`
  if (/partial write/i.test(failure.detail)) {
    addDrops(p.dropped, partialWriteDrops(failure.detail))
    p.done += range.count
    return true
  }
  if (range.count === 1 || p.budget <= 0) {
    addDrops(p.dropped, { rejected: range.count })
    p.done += range.count
    return true
  }
  p.budget -= 1
  const lines = range.lines ?? range.body.slice(0, -1).split('\n')
  const mid = lines.length >> 1
  return (
    (await writeRange(client, half(lines.slice(0, mid)), p)) && (await writeRange(client, half(lines.slice(mid)), p))
  )
}

const half = (lines: readonly string[]): Range => ({ body: `${lines.join('\n')}\n`, count: lines.length, lines })

type Attempt = { ok: true; latencyMs: number } | { ok: false; failure: WriteFailure }

async function attempt(client: LineWriter, body: string): Promise<Attempt> {
  const started = performance.now()
  try {
    await client(body)
    return { ok: true, latencyMs: performance.now() - started }
  } catch (err) {
    return { ok: false, failure: classifyFailure(err) }
  }
}

/**
 * InfluxDB 1.x: `partial write: field type conflict: … dropped=1`,
 * `partial write: points beyond retention policy dropped=3`, or one
 * `unable to parse '…'` line per bad line (with `dropped=0`).
 */
export function partialWriteDrops(detail: string): DropCounts {
  const unparsable = detail.match(/unable to parse/gi)?.length ?? 0
  const dropped = Number(/dropped=(\d+)/.exec(detail)?.[1] ?? 0)
  const drops: DropCounts = {}
  if (unparsable > 0) drops.unparsable = unparsable
  if (dropped > 0) {
    if (/field type conflict/i.test(detail)) drops.field_type_conflict = dropped
    else if (/beyond retention/i.test(detail)) drops.beyond_retention = dropped
    else drops.rejected = dropped
  }
  if (unparsable === 0 && dropped === 0) drops.rejected = 1
  return drops
}

export function addDrops(into: DropCounts, more: DropCounts): void {
  for (const [reason, n] of Object.entries(more) as [DropReason, number][]) into[reason] = (into[reason] ?? 0) + n
}
