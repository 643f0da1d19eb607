import type { ReadingValue } from '../core/reading.js'
import type { Logger } from '../log.js'

/** One level for one output device's metric (`on` for a siren or strobe). */
export interface OutputCommand {
  readonly deviceId: string
  readonly metric: string
  readonly value: ReadingValue
}

/** Whatever owns a device's wire and can drive an output on it: MQTT, GPIO, Modbus. */
export interface OutputWriter {
  owns(deviceId: string): boolean
  write(deviceId: string, metric: string, value: ReadingValue): Promise<void> | void
}

/**
 * docs/design.md#one-way-data-flow: an output command goes straight to the adapter that owns the
 * device — a siren never waits behind a network notifier. The first writer
 * that owns the device takes it; a device nobody owns is a config mistake,
 * logged, never a crash; so is a writer that fails (docs/design.md#boundaries-never-throw).
 */
export type OutputRouter = ReturnType<typeof createOutputRouter>

export function createOutputRouter(writers: readonly OutputWriter[], log: Logger) {
  const outputLog = log.child({ mod: 'outputs' })
  /** `quiet`: one phase of a pulse pattern, logged at debug — the pattern's start and stop are logged where it is run. */
  return (command: OutputCommand, options: { readonly quiet?: boolean } = {}): void => {
    const writer = writers.find((w) => w.owns(command.deviceId))
    if (!writer) {
      outputLog.warn({ deviceId: command.deviceId }, 'no adapter owns this output device')
      return
    }
    const fields = { deviceId: command.deviceId, metric: command.metric, value: command.value }
    if (options.quiet === true) outputLog.debug(fields, 'output')
    else outputLog.info(fields, 'output')
    const failed = (err: unknown) => outputLog.error({ deviceId: command.deviceId, err }, 'output write failed')
    // the alarm service annunciates inside its commit: a writer that throws must not undo the rest of it
    try {
      Promise.resolve(writer.write(command.deviceId, command.metric, command.value)).catch(failed)
    } catch (err) {
      failed(err)
    }
  }
}
