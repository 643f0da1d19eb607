import type { OutputIntent } from '../core/intent.js'
import type { ReadingValue } from '../core/reading.js'
import type { Logger } from '../log.js'

/** Whatever owns a device's wire and can drive an output on it: MQTT, GPIO, Modbus. */
export interface OutputWriter {
  owns(deviceId: string): boolean
  write(deviceId: string, metric: string, value: ReadingValue): Promise<void> | void
}

/**
 * docs/design.md#one-way-data-flow: an output intent goes straight to the adapter that owns the
 * device — a siren never waits behind a network notifier. The first writer
 * that owns the device takes it; a device nobody owns is a config mistake,
 * logged, never a crash.
 */
export type OutputRouter = ReturnType<typeof createOutputRouter>

export function createOutputRouter(writers: readonly OutputWriter[], log: Logger) {
  const outputLog = log.child({ mod: 'outputs' })
  /** `quiet`: one phase of a pulse pattern, logged at debug — the pattern's start and stop are logged where it is run. */
  return (intent: OutputIntent, options: { readonly quiet?: boolean } = {}): void => {
    const writer = writers.find((w) => w.owns(intent.deviceId))
    if (!writer) {
      outputLog.warn({ deviceId: intent.deviceId }, 'no adapter owns this output device')
      return
    }
    const fields = { deviceId: intent.deviceId, metric: intent.metric, value: intent.value }
    if (options.quiet === true) outputLog.debug(fields, 'output')
    else outputLog.info(fields, 'output')
    Promise.resolve(writer.write(intent.deviceId, intent.metric, intent.value)).catch((err: unknown) =>
      outputLog.error({ deviceId: intent.deviceId, err }, 'output write failed'),
    )
  }
}
