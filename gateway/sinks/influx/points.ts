import type { Alarm } from '../../core/alarm.js'
import type { AlarmEvent, TicketEvent } from '../../core/events.js'
import type { Reading } from '../../core/reading.js'

/**
 * InfluxDB schema (docs/requirements.md#influxdb), as plain data: one function per measurement turns
 * a gateway event into points. Pure, so the writer, the buffer, the
 * dashboards and their tests all share one definition of every tag and field.
 *
 * - `sensor`      tags store, device, type, zone; one field per metric
 * - `alarm`       tags store, kind, severity, device, zone; fields action, state, alarm_id, open, escalation_level, ack_sec
 * - `ticket`      tags store, device, zone; fields action, status, ticket_id, open, due_in_sec, and on resolve business_repair_sec, wall_repair_sec, sla_met
 * - `device_status` tags store, device, type, zone, transport; fields status, fault, reasons, last_seen_age_sec, battery?, linkquality?
 * - `gateway`     tags store; fields of its own health (see gatewayPoint)
 */
export interface TelemetryPoint {
  readonly measurement: 'sensor' | 'alarm' | 'ticket' | 'device_status' | 'gateway'
  readonly tags: Readonly<Record<string, string>>
  readonly fields: Readonly<Record<string, number | boolean | string>>
  /** Milliseconds since the epoch (written with precision ms). */
  readonly ts: number
}

/** Telemetry is dropped first when the buffer is full; these are kept longest (docs/requirements.md#no-data-loss). */
export const KEEP_LONGEST: ReadonlySet<TelemetryPoint['measurement']> = new Set(['alarm', 'ticket', 'device_status'])

/** The `sensor` measurement's tags (docs/requirements.md#influxdb): the dashboards group by them. */
export type SensorTags = {
  readonly store: string
  readonly device: string
  readonly type: string
  readonly zone: string
}

export function sensorTags(r: Reading): SensorTags {
  return { store: r.store, device: r.deviceId, type: r.deviceType, zone: r.zone }
}

export function sensorPoint(r: Reading): TelemetryPoint {
  return {
    measurement: 'sensor',
    tags: sensorTags(r),
    fields: { [r.metric]: r.value },
    ts: r.ts,
  }
}

export function alarmPoint(store: string, e: AlarmEvent): TelemetryPoint {
  const a: Alarm = e.alarm
  const at = Date.parse(e.at)
  const fields: Record<string, number | boolean | string> = {
    action: e.action,
    state: a.state,
    alarm_id: a.id,
    open: a.state === 'closed' ? 0 : 1,
    escalation_level: a.escalationLevel,
    silent: a.silent,
  }
  if (e.action === 'acked' && a.ackedAt !== null)
    fields.ack_sec = (Date.parse(a.ackedAt) - Date.parse(a.raisedAt)) / 1000
  return {
    measurement: 'alarm',
    tags: { store, kind: a.kind, severity: a.severity, device: a.deviceId, zone: a.zone },
    fields,
    ts: at,
  }
}

export function ticketPoint(store: string, e: TicketEvent): TelemetryPoint {
  const t = e.ticket
  const at = Date.parse(e.at)
  const fields: Record<string, number | boolean | string> = {
    action: e.action,
    status: t.status,
    ticket_id: t.id,
    open: t.status === 'resolved' || t.status === 'cancelled' ? 0 : 1,
    due_in_sec: Math.round((Date.parse(t.dueAt) - at) / 1000),
  }
  if (e.slaRecord) {
    fields.business_repair_sec = Math.round(e.slaRecord.businessRepairMs / 1000)
    fields.wall_repair_sec = Math.round(e.slaRecord.wallRepairMs / 1000)
    fields.sla_met = e.slaRecord.met
  }
  return { measurement: 'ticket', tags: { store, device: t.deviceId ?? '', zone: t.zone ?? '' }, fields, ts: at }
}

export interface DeviceStatusSample {
  readonly deviceId: string
  readonly type: string
  readonly zone: string
  readonly transport: string
  readonly status: 'ok' | 'fault'
  readonly reasons: readonly string[]
  readonly lastSeenAgeSec: number | null
  readonly battery: number | null
  readonly linkquality: number | null
}

export function deviceStatusPoint(store: string, d: DeviceStatusSample, ts: number): TelemetryPoint {
  const fields: Record<string, number | boolean | string> = {
    status: d.status,
    fault: d.status === 'fault' ? 1 : 0,
    online: d.lastSeenAgeSec === null ? 0 : 1,
    reasons: d.reasons.join(','),
  }
  if (d.lastSeenAgeSec !== null) fields.last_seen_age_sec = d.lastSeenAgeSec
  if (d.battery !== null) fields.battery = d.battery
  if (d.linkquality !== null) fields.linkquality = d.linkquality
  return {
    measurement: 'device_status',
    tags: { store, device: d.deviceId, type: d.type, zone: d.zone, transport: d.transport },
    fields,
    ts,
  }
}

export interface GatewayHealthSample {
  readonly readingsPerSec: number
  readonly messagesIn: number
  readonly rejected: number
  readonly bufferPoints: number
  readonly bufferAgeSec: number
  readonly writeLatencyMs: number
  readonly eventLoopLagMs: number
  readonly heapUsedMb: number
  readonly rssMb: number
  readonly openAlarms: number
  readonly uptimeSec: number
}

/** The upstream bridge, when the gateway has one (docs/requirements.md#upstream-bridge): is the centre reachable, what waits for it. */
export interface CentralSample {
  readonly connected: boolean
  readonly queued: number
}

export function gatewayPoint(
  store: string,
  g: GatewayHealthSample,
  ts: number,
  central: CentralSample | null = null,
): TelemetryPoint {
  return {
    measurement: 'gateway',
    tags: { store },
    fields: {
      readings_per_sec: g.readingsPerSec,
      messages_in: g.messagesIn,
      rejected: g.rejected,
      buffer_points: g.bufferPoints,
      buffer_age_sec: g.bufferAgeSec,
      write_latency_ms: g.writeLatencyMs,
      event_loop_lag_ms: g.eventLoopLagMs,
      heap_used_mb: g.heapUsedMb,
      rss_mb: g.rssMb,
      open_alarms: g.openAlarms,
      uptime_sec: g.uptimeSec,
      ...(central ? { central_connected: central.connected, central_queued: central.queued } : {}),
    },
    ts,
  }
}

/**
 * Retention policies the gateway creates when `influx.manageDatabase` is on:
 * every point is written to the DEFAULT policy, `raw` (`influx.rawRetention`);
 * the roll-ups below live in `downsampled` (`influx.downsampledRetention`).
 */
export const RETENTION_POLICIES = { raw: 'raw', downsampled: 'downsampled' } as const

/**
 * Continuous queries over `raw.sensor` (docs/requirements.md#influxdb): `mean(*)` per interval
 * into `downsampled.<measurement>`, every tag kept; a metric `temperature`
 * becomes the field `mean_temperature`. Query them as
 * `SELECT mean_temperature FROM "downsampled"."sensor_1h" WHERE …`.
 */
export const SENSOR_ROLLUPS = [
  { measurement: 'sensor_1m', interval: '1m' },
  { measurement: 'sensor_1h', interval: '1h' },
] as const
