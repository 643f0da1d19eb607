/** `SELECT count("temperature") FROM "sensor"` in `database`: the readings that landed. */
export async function countLanded(influxUrl: string, database: string): Promise<number> {
  const q = encodeURIComponent('SELECT count("temperature") FROM "sensor"')
  const res = await fetch(`${influxUrl}/query?db=${encodeURIComponent(database)}&q=${q}`)
  const body = (await res.json()) as { results?: { series?: { values?: [string, number][] }[] }[] }
  return body.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0
}

/**
 * Waits until `target` readings have landed, or until the count has not
 * moved for `stallMs`; resolves with the count and when it last grew
 * (performance.now()), so the rate counts only time spent landing points.
 */
export async function waitLanded(
  influxUrl: string,
  database: string,
  target: number,
  stallMs = 8000,
): Promise<{ landed: number; at: number }> {
  let landed = -1
  let at = performance.now()
  for (;;) {
    const now = await countLanded(influxUrl, database)
    if (now !== landed) {
      landed = now
      at = performance.now()
    }
    if (landed >= target || performance.now() - at > stallMs) return { landed, at }
    await new Promise((r) => setTimeout(r, 100))
  }
}
