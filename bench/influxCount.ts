import type { LandedSample } from './steadyRate.js'

/** `SELECT count("temperature") FROM "sensor"` in `database`: the readings that landed. */
export async function countLanded(influxUrl: string, database: string): Promise<number> {
  const q = encodeURIComponent('SELECT count("temperature") FROM "sensor"')
  const res = await fetch(`${influxUrl}/query?db=${encodeURIComponent(database)}&q=${q}`)
  const body = (await res.json()) as { results?: { series?: { values?: [string, number][] }[] }[] }
  return body.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0
}

/**
 * Waits until `target` readings have landed, or until the count has not
 * moved for `stallMs`; resolves with the count, when it last grew
 * (performance.now()) and every poll (every 100 ms), from which
 * bench/steadyRate.ts takes the rate of the steady part of the run.
 */
export async function waitLanded(
  influxUrl: string,
  database: string,
  target: number,
  stallMs = 8000,
): Promise<{ landed: number; at: number; samples: LandedSample[] }> {
  let landed = -1
  let at = performance.now()
  const samples: LandedSample[] = []
  for (;;) {
    const now = await countLanded(influxUrl, database)
    samples.push({ at: performance.now(), landed: now })
    if (now !== landed) {
      landed = now
      at = performance.now()
    }
    if (landed >= target || performance.now() - at > stallMs) return { landed, at, samples }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Points of measurement `sensor` in `database`, whatever their fields: `count(*)` counts each
 * field, so a device's points are its most-counted field.
 */
export async function countSensorPoints(influxUrl: string, database: string): Promise<number> {
  const q = encodeURIComponent('SELECT count(*) FROM "sensor" GROUP BY "device"')
  const res = await fetch(`${influxUrl}/query?db=${encodeURIComponent(database)}&q=${q}`)
  const body = (await res.json()) as { results?: { series?: { values?: (string | number)[][] }[] }[] }
  let points = 0
  for (const series of body.results?.[0]?.series ?? []) {
    const counts = (series.values?.[0] ?? []).slice(1).filter((v): v is number => typeof v === 'number')
    points += Math.max(0, ...counts)
  }
  return points
}
