import type { AdapterOutput, MqttMessageSource } from '../../devices/adapter.js'
import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import type { RejectReason } from '../../devices/decoders/decodeResult.js'
import { decodeWeatherWarning } from '../../devices/decoders/weatherWarning.js'
import { outOfRange } from '../../devices/types/valueRange.js'
import type { Clock } from '../core/clock.js'
import type { WeatherWarning } from '../core/weather.js'
import { createRateLimitedLog, type Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'

/** Counts every message that reaches the device adapter. */
export function countingSource(source: MqttMessageSource, metrics: GatewayMetrics): MqttMessageSource {
  const counter = metrics.mqttMessagesIn.labels('device')
  return {
    subscribe: (filters, handler) =>
      source.subscribe(filters, (topic, payload) => {
        counter.inc()
        handler(topic, payload)
      }),
    unsubscribe: (filters) => source.unsubscribe(filters),
  }
}

type Rejected = AdapterOutput['rejected']

/**
 * Bad input is counted per reason, logged at a bounded rate and never a
 * crash. The log is keyed by reason alone, so a flood of made-up topics or
 * device ids cannot grow the limiter; what is logged of the input is cleaned
 * like a device string, so a topic cannot forge a log line or reorder a terminal.
 */
export function createRejections(metrics: GatewayMetrics, log: Logger): Rejected {
  const warn = createRateLimitedLog(log.child({ mod: 'devices' }))
  return (reason, detail) => {
    metrics.rejected.inc({ reason })
    warn(
      reason,
      {
        reason,
        ...(detail.topic === undefined ? {} : { topic: cleanDeviceString(detail.topic).value }),
        ...(detail.deviceId === undefined ? {} : { deviceId: detail.deviceId }),
        detail: cleanDeviceString(detail.detail).value,
      },
      'device message rejected',
    )
  }
}

/**
 * A client's message on a topic no handler reads: before this it was dropped
 * without a trace. `classify` says which reason it counts under, or null for a
 * device's own traffic that is not a reading (e.g. zigbee2mqtt availability).
 */
export function unreadTopics(
  metrics: GatewayMetrics,
  log: Logger,
  classify: (topic: string) => RejectReason | null,
): (topic: string) => void {
  const rejected = createRejections(metrics, log)
  return (topic) => {
    const reason = classify(topic)
    if (reason !== null) rejected(reason, { topic, detail: 'no device or gateway handler reads this topic' })
  }
}

/**
 * The one place device strings are cleaned before anything stores, shows or
 * sends them. The string is used cleaned; each kind of cleaning is counted.
 */
export function createStringCleaner(
  metrics: GatewayMetrics,
  log: Logger,
): (raw: string, where: { deviceId: string; metric: string }) => string {
  const warn = createRateLimitedLog(log.child({ mod: 'devices' }))
  return (raw, where) => {
    const { value, changes } = cleanDeviceString(raw)
    for (const reason of changes) {
      metrics.cleanedStrings.inc({ reason })
      // never the raw string: it is what must not reach a log reader's terminal
      warn(`cleaned:${reason}`, { reason, ...where }, 'device string cleaned')
    }
    return value
  }
}

/** How every adapter's readings and rejections reach the engine. */
export function adapterOutput(
  engine: { onReading: AdapterOutput['reading']; onCommStatus: AdapterOutput['commStatus'] },
  metrics: GatewayMetrics,
  log: Logger,
): AdapterOutput {
  const devicesLog = log.child({ mod: 'devices' })
  const rejected = createRejections(metrics, log)
  const clean = createStringCleaner(metrics, log)
  return {
    commStatus(deviceId, status) {
      // changes only (the adapter's promise), so this cannot flood the log
      if (status.ok) devicesLog.info({ deviceId }, 'device communication restored')
      else devicesLog.warn({ deviceId, reason: status.reason, detail: status.detail }, 'device communication failed')
      engine.onCommStatus(deviceId, status)
    },
    reading(reading) {
      // every transport's readings pass here, so bounds and cleaning cannot be skipped by one
      const { deviceId, metric, value } = reading
      if (typeof value === 'number') {
        const why = outOfRange(reading.deviceType, metric, value)
        if (why !== null) return rejected('out_of_range', { deviceId, detail: why })
      }
      const accepted = typeof value === 'string' ? { ...reading, value: clean(value, { deviceId, metric }) } : reading
      metrics.readings.inc({ type: reading.deviceType })
      engine.onReading(accepted)
    },
    rejected,
  }
}

/** docs/requirements.md#mqtt-topics `<prefix>/weather`: warnings go to the rules; bad ones are counted like bad device input. */
export async function subscribeWeather(
  source: MqttMessageSource,
  topic: string,
  clock: Clock,
  onWarning: (warning: WeatherWarning) => void,
  rejected: (reason: RejectReason, detail: { topic: string; detail: string }) => void,
  clean: (raw: string, where: { deviceId: string; metric: string }) => string,
): Promise<void> {
  await source.subscribe([topic], (t, payload) => {
    const decoded = decodeWeatherWarning(payload, clock.now())
    if (!decoded.ok) return rejected(decoded.reason, { topic: t, detail: decoded.detail })
    for (const field of decoded.invalid) rejected(field.reason, { topic: t, detail: field.detail })
    const { warning } = decoded
    // the kind and text reach notices and signage like any device string
    const where = (metric: string) => ({ deviceId: 'weather', metric })
    onWarning({
      ...warning,
      kind: clean(warning.kind, where('kind')),
      text: warning.text === null ? null : clean(warning.text, where('text')),
    })
  })
}
