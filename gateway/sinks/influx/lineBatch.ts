import { pointToLine } from './lineProtocol.js'
import { KEEP_LONGEST, type TelemetryPoint } from './points.js'

/**
 * Points as the writer holds them: line protocol, each line ending in `\n`,
 * in two parts — the measurements the disk buffer keeps longest (alarm,
 * ticket, device_status: docs/requirements.md#no-data-loss) and telemetry —
 * so a full buffer can drop telemetry first without reading a line back.
 * Order is kept within each part; InfluxDB orders by series and time, and no
 * series is in both parts.
 */
export interface LineChunk {
  readonly keep: string
  readonly keepLines: number
  readonly telemetry: string
  readonly telemetryLines: number
  /** The earliest `sensor` timestamp among the lines (ms), for the roll-up back-fill after a replay. */
  readonly sensorFrom: number | null
}

export const EMPTY_CHUNK: LineChunk = { keep: '', keepLines: 0, telemetry: '', telemetryLines: 0, sensorFrom: null }

export const linesOf = (c: LineChunk): number => c.keepLines + c.telemetryLines

/** The request body: kept-longest lines first, then telemetry (the order `done` counts in). */
export const bodyOf = (c: LineChunk): string => c.keep + c.telemetry

/**
 * Where points become line protocol: as each is added, so the cost is spread
 * over the messages that bring them and no single task serialises a whole
 * batch (docs/performance.md: alarms never wait behind telemetry).
 */
export interface LineBatch {
  /** Appends the point's line; false when nothing of the point can be written (see pointToLine). */
  add(point: TelemetryPoint): boolean
  /** Lines held. */
  readonly size: number
  /** Hands over what is held and starts empty. */
  seal(): LineChunk
}

export function createLineBatch(): LineBatch {
  let chunk: { -readonly [K in keyof LineChunk]: LineChunk[K] } = { ...EMPTY_CHUNK }
  return {
    add(point) {
      const line = pointToLine(point)
      if (line === null) return false
      if (KEEP_LONGEST.has(point.measurement)) {
        chunk.keep += `${line}\n`
        chunk.keepLines++
        return true
      }
      chunk.telemetry += `${line}\n`
      chunk.telemetryLines++
      if (point.measurement === 'sensor' && (chunk.sensorFrom === null || point.ts < chunk.sensorFrom))
        chunk.sensorFrom = Math.round(point.ts)
      return true
    },
    get size() {
      return chunk.keepLines + chunk.telemetryLines
    },
    seal() {
      const sealed = chunk
      chunk = { ...EMPTY_CHUNK }
      return sealed
    },
  }
}

/** The chunk without its first `n` lines, counted in body order (see bodyOf). */
export function dropLeadingLines(c: LineChunk, n: number): LineChunk {
  if (n <= 0) return c
  if (n >= linesOf(c)) return EMPTY_CHUNK
  if (n < c.keepLines) return { ...c, keep: afterLines(c.keep, n), keepLines: c.keepLines - n }
  const rest = n - c.keepLines
  return {
    keep: '',
    keepLines: 0,
    telemetry: afterLines(c.telemetry, rest),
    telemetryLines: c.telemetryLines - rest,
    sensorFrom: c.sensorFrom,
  }
}

/** The offset just past the `n`th line of `text` (lines ending in `\n`); its length when it has fewer. */
export function lineEnd(text: string, n: number): number {
  let at = 0
  for (let i = 0; i < n; i++) {
    const next = text.indexOf('\n', at)
    if (next < 0) return text.length
    at = next + 1
  }
  return at
}

/** `text` (lines ending in `\n`) without its first `n` lines. */
export function afterLines(text: string, n: number): string {
  return text.slice(lineEnd(text, n))
}
