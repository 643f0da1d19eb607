import type { DeviceConfig } from '../../devices/deviceSchema.js'
import type { Timers } from '../../devices/gpio/timers.js'
import { createMqttOutputWriter } from '../../devices/mqtt/mqttOutputWriter.js'
import type { OutputsConfig } from '../config/outputsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { Logger } from '../log.js'
import { createAnnunciator } from './annunciator.js'
import { createOutputArbiter } from './arbiter.js'
import { createOutputRouter, type OutputWriter } from './router.js'

export interface OutputsOptions {
  readonly config: OutputsConfig
  readonly devices: readonly DeviceConfig[]
  readonly topicPrefix: string
  /** Publishes a command to a device that listens on MQTT. */
  readonly publish: (topic: string, payload: string) => void
  readonly log: Logger
  readonly timers?: Timers
}

/**
 * The one way to the sirens, strobes and relays (docs/design.md#outputs): the fire
 * annunciator and the notification outputs request the arbiter, which drives each
 * device through the router to the adapter that owns its wire.
 */
export function createOutputs(options: OutputsOptions) {
  const { config, devices, log } = options
  // field adapters start after the engine they feed; the router finds them here once they exist
  const writers: OutputWriter[] = [createMqttOutputWriter(options.topicPrefix, devices, options.publish)]
  const arbiter = createOutputArbiter(createOutputRouter(writers, log), options.timers)
  const idsOfType = (type: 'siren' | 'strobe') => devices.filter((d) => d.type === type).map((d) => d.id)
  const annunciator = createAnnunciator({
    sirens: config.fire.sirens ?? idsOfType('siren'),
    strobes: config.fire.strobes ?? idsOfType('strobe'),
    arbiter,
  })

  return {
    /** For the other requesters: notification routes that sound a local output. */
    arbiter,
    /** The alarm service's step after each committed change (its `annunciate`). */
    annunciate: (open: Iterable<Alarm>) => annunciator.update(open),
    /**
     * Once the field adapters exist: their writers go first, and every output is written again,
     * so outputs start in a known state and the first change they see is real.
     */
    start(fieldWriters: readonly OutputWriter[], open: Iterable<Alarm>): void {
      writers.unshift(...fieldWriters)
      annunciator.update(open)
      arbiter.resync()
    },
    /** Stops every pulse timer (the gateway is stopping; the adapters switch their outputs off). */
    stop: () => arbiter.stop(),
  }
}

export type Outputs = ReturnType<typeof createOutputs>
