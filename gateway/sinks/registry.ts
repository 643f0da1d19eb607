import { influxSinkKind } from './influx/influxSinkKind.js'
import type { Sink, SinkDeps, SinkKind } from './sink.js'

/** Every kind of sink. A new one is one module and one line here. */
export const SINKS: readonly SinkKind[] = [influxSinkKind]

export interface StartedSinks {
  readonly sinks: readonly Sink[]
  /** Every sink's barrier at once; null when none has anything to wait for. */
  durable(): Promise<void> | null
  /** Stops them in reverse start order. */
  stop(): Promise<void>
}

export async function startSinks(deps: SinkDeps, kinds: readonly SinkKind[] = SINKS): Promise<StartedSinks> {
  const sinks: Sink[] = []
  for (const kind of kinds) if (kind.configured(deps.config)) sinks.push(await kind.start(deps))
  return {
    sinks,
    durable() {
      const barriers = sinks.map((s) => s.durable()).filter((b): b is Promise<void> => b !== null)
      if (barriers.length === 0) return null
      return barriers.length === 1 ? (barriers[0] as Promise<void>) : Promise.all(barriers).then(() => undefined)
    },
    async stop() {
      for (const sink of [...sinks].reverse()) await sink.stop()
    },
  }
}
