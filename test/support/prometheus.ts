/**
 * The value of one sample in Prometheus text (`GET /metrics`): the line named
 * `name` whose labels are exactly `labels`, in any order; undefined when the
 * gateway has no such line.
 */
export function sample(metricsText: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
  for (const line of metricsText.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line)
    if (!match || match[1] !== name) continue
    const found = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (found.size === wanted.length && wanted.every(([k, v]) => found.get(k) === v)) return Number(match[3])
  }
  return undefined
}

/** A counter's or gauge's value, 0 when the gateway has not written that line (yet, or any more). */
export const metricValue = (metricsText: string, name: string, labels: Record<string, string> = {}): number =>
  sample(metricsText, name, labels) ?? 0
