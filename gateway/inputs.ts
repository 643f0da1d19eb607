import type { AdapterOutput, MqttMessageSource } from '../devices/adapter.js'
import type { RejectReason } from '../devices/decoders/decodeResult.js'
import { decodeWeatherWarning } from '../devices/decoders/weatherWarning.js'
import type { Clock } from './core/clock.js'
import type { WeatherWarning } from './core/weather.js'
import { createRateLimitedLog, type Logger } from './log.js'
import type { GatewayMetrics } from './metrics.js'

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

/** SPEC §9 bad input: counted per reason, logged at a bounded rate, never a crash. */
export function adapterOutput(
  engine: { onReading: AdapterOutput['reading']; onCommStatus: AdapterOutput['commStatus'] },
  metrics: GatewayMetrics,
  log: Logger,
): AdapterOutput {
  const devicesLog = log.child({ mod: 'devices' })
  const warn = createRateLimitedLog(devicesLog)
  return {
    commStatus(deviceId, status) {
      // changes only (the adapter's promise), so this cannot flood the log
      if (status.ok) devicesLog.info({ deviceId }, 'device communication restored')
      else devicesLog.warn({ deviceId, reason: status.reason, detail: status.detail }, 'device communication failed')
      engine.onCommStatus(deviceId, status)
    },
    reading(reading) {
      metrics.readings.inc({ type: reading.deviceType })
      engine.onReading(reading)
    },
    rejected(reason, detail) {
      metrics.rejected.inc({ reason })
      // keyed by reason alone, so a flood of made-up topics cannot grow the limiter
      warn(reason, { reason, ...detail }, 'device message rejected')
    },
  }
}

/** SPEC §7 `<prefix>/weather`: warnings go to the rules; bad ones are counted like bad device input. */
export async function subscribeWeather(
  source: MqttMessageSource,
  topic: string,
  clock: Clock,
  onWarning: (warning: WeatherWarning) => void,
  rejected: (reason: RejectReason, detail: { topic: string; detail: string }) => void,
): Promise<void> {
  await source.subscribe([topic], (t, payload) => {
    const decoded = decodeWeatherWarning(payload, clock.now())
    if (decoded.ok) onWarning(decoded.warning)
    else rejected(decoded.reason, { topic: t, detail: decoded.detail })
  })
}
