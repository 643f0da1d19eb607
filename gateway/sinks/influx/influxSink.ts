import type { InfluxConfig } from '../../config/influxSchema.js'
import type { GatewayEvent } from '../../core/events.js'
import type { DeviceStatus } from '../../core/ports.js'
import type { Sink, SinkDeps, SinkHealth } from '../sink.js'
import { createDistinctTimestamps } from './distinctTimestamps.js'
import { createInfluxWriter, type InfluxWriter } from './influxWriter.js'
import { createMessagePoints } from './messagePoints.js'
import {
  alarmPoint,
  type DeviceStatusSample,
  deviceStatusPoint,
  gatewayPoint,
  type TelemetryPoint,
  ticketPoint,
} from './points.js'
import { createSelfTelemetry } from './selfTelemetry.js'

/** What every sink gets, with the InfluxDB settings in place of the whole config. */
export type InfluxSinkDeps = Omit<SinkDeps, 'config' | 'now'> & {
  readonly config: InfluxConfig
  /** The `store` tag on every point (docs/requirements.md#influxdb). */
  readonly store: string
  /** The gateway's data dir (the disk buffer lives there). */
  readonly dataDir: string
  readonly now?: () => number
}

/**
 * A Sink whose barrier is InfluxWriter.durable: while InfluxDB is down it
 * resolves once the readings handled so far are in the disk buffer.
 */
export interface InfluxSink extends Sink {
  readonly name: 'influx'
  readonly writer: InfluxWriter
}

/**
 * InfluxDB (docs/requirements.md#influxdb): every reading, alarm change and ticket change from the
 * event bus, plus `device_status` every `deviceStatusIntervalSec` and the
 * gateway's own health every `gatewayIntervalSec`.
 *
 * Not an outbox sink (docs/design.md#extension-points): one outbox row per reading would be the very
 * per-point fsync the batching avoids, so this sink keeps its own batches and
 * disk buffer (influxWriter). Its bus listener only turns events into points
 * and queues them: synchronous, no I/O, and it never throws into the bus.
 */
export function startInfluxSink(deps: InfluxSinkDeps): InfluxSink {
  const { config, store } = deps
  const now = deps.now ?? Date.now
  const log = deps.log.child({ mod: 'influx' })
  let created: InfluxWriter | null = null
  const telemetry = createSelfTelemetry({
    metrics: deps.metrics,
    writer: () => created,
    openAlarms: deps.openAlarms,
    now,
  })
  const writer = createInfluxWriter({
    config,
    dataDir: deps.dataDir,
    log: deps.log,
    now,
    onDropped: (reason, count) => telemetry.dropped(reason, count),
  })
  created = writer
  // every point passes here before the batch and the disk buffer: InfluxDB would overwrite a same-ms twin
  const timestamps = createDistinctTimestamps()
  const queue: Pick<InfluxWriter, 'add'> = { add: (point) => writer.add(timestamps.stamp(point)) }
  const messages = createMessagePoints(queue.add)

  const wants = (event: GatewayEvent) => event.type === 'reading' || event.type === 'alarm' || event.type === 'ticket'
  const toPoint = (event: GatewayEvent): TelemetryPoint | null => {
    switch (event.type) {
      case 'reading':
        telemetry.countReading()
        messages.reading(event.reading)
        return null
      case 'alarm':
        return alarmPoint(store, event)
      case 'ticket':
        return ticketPoint(store, event)
      default:
        return null
    }
  }
  const unsubscribe = deps.events.subscribe((event) => {
    if (!wants(event)) return
    try {
      const point = toPoint(event)
      if (point) {
        // in event order: the reading that raised an alarm goes before the alarm's point
        messages.flush()
        queue.add(point)
      }
    } catch (err) {
      log.error({ err, type: event.type }, 'could not turn an event into a point')
    }
  })

  const deviceTimer = setInterval(() => {
    try {
      const at = now()
      for (const d of deps.devices.list()) queue.add(deviceStatusPoint(store, deviceSample(d, at), at))
    } catch (err) {
      log.error({ err }, 'device status sample failed')
    }
  }, config.deviceStatusIntervalSec * 1000)
  deviceTimer.unref()
  const gatewayTimer = setInterval(() => {
    telemetry.sample().then(
      (sample) => queue.add(gatewayPoint(store, sample, now(), deps.central?.() ?? null)),
      (err: unknown) => log.error({ err }, 'gateway health sample failed'),
    )
  }, config.gatewayIntervalSec * 1000)
  gatewayTimer.unref()

  let stopped = false
  return {
    name: 'influx',
    writer,
    wants,
    durable() {
      // the message just handled is the point under construction: hand it on before asking
      messages.flush()
      return writer.durable()
    },
    health: () => influxHealth(writer),
    async stop() {
      if (stopped) return
      stopped = true
      unsubscribe()
      messages.flush()
      clearInterval(deviceTimer)
      clearInterval(gatewayTimer)
      await writer.stop()
      telemetry.stop()
    },
  }
}

/** The backlog is the disk buffer: the points in the current batch are a moment from written either way. */
function influxHealth(writer: InfluxWriter): SinkHealth {
  const stats = writer.stats()
  return { state: stats.state, backlog: stats.bufferPoints }
}

/** docs/requirements.md#influxdb `device_status`: battery and link quality from the device's latest values. */
export function deviceSample(d: DeviceStatus, at: number): DeviceStatusSample {
  const numeric = (metric: string) => {
    const v = d.values[metric]?.value
    return typeof v === 'number' ? v : null
  }
  return {
    deviceId: d.id,
    type: d.type,
    zone: d.zone,
    transport: d.transport,
    status: d.status,
    reasons: d.faults.map((f) => f.reason),
    lastSeenAgeSec: d.lastSeen === null ? null : Math.max(0, Math.round((at - Date.parse(d.lastSeen)) / 1000)),
    battery: numeric('battery'),
    linkquality: numeric('linkquality'),
  }
}
