import type { InfluxDB } from 'influx'
import { sampleAlarm } from '../../gateway/channels/testing/sampleEvents.js'
import type { Alarm, AlarmKind, AlarmState, Severity } from '../../gateway/core/alarm.js'
import type { AlarmAction, AlarmEvent, TicketEvent } from '../../gateway/core/events.js'
import type { DeviceType, ReadingValue } from '../../gateway/core/reading.js'
import type { Ticket, TicketAction, TicketSlaRecord, TicketStatus } from '../../gateway/core/ticket.js'
import {
  alarmPoint,
  type DeviceStatusSample,
  deviceStatusPoint,
  gatewayPoint,
  sensorPoint,
  type TelemetryPoint,
  ticketPoint,
} from '../../gateway/sinks/influx/points.js'

/**
 * A simulated hour of two stores, as the gateway would write it (docs/requirements.md#influxdb:
 * every dashboard panel query returns rows after an hour of demo
 * data). Every point is made by the functions of gateway/sinks/influx/points.ts,
 * so the dashboards are tested against exactly the shapes the writer sends.
 *
 * The hour ends at `end`; a few alarm and ticket events lie days before it
 * (the terminal faults whose tickets breach or are reminded during the hour),
 * as they would in a real database. Deterministic: no randomness.
 *
 * Story of the hour (minutes after its start):
 * - sh-pudong-01: terminal-1 fails (printer) at 5, ticket opened, acked 12,
 *   started 15, repaired 45 within SLA; leak-backroom-1 tamper chatters at 8–9,
 *   settles 20, acked 21, clears 22; the entrance water level rises from 15,
 *   flood major at 18, acked 20.5, critical at 24, clears 36; terminal-2 (down
 *   for 3 days) breaches its ticket at 30 and is still open; InfluxDB is away
 *   40–45 (the buffer fills and drains); smoke in the backroom at 50, fire
 *   acked 51 and still latched at the end; a rush at the counters 12–42,
 *   the longest wait over the 10-min target about 21–33, a fourth counter opened at 30.
 * - bj-xidan-02: terminal-1's 4-day-old ticket breaches at 10 and is resolved
 *   late at 40 (SLA missed); terminal-2's ticket gets its 80 % reminder at 20
 *   and is due in a few hours; mains lost 15–25 (power_outage acked at 15.75);
 *   temp-hall-1's battery runs low, device fault at 30, unacknowledged;
 *   smoke-hall-1's tamper chatters from 40; leak-backroom-1 was never heard
 *   from (offline).
 */

export const DEMO_STORES = ['sh-pudong-01', 'bj-xidan-02'] as const
export type DemoStore = (typeof DEMO_STORES)[number]

const SEC = 1000
const MIN = 60 * SEC
const HOUR = 60 * MIN
const DAY = 24 * HOUR

interface DemoDevice {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  readonly transport: 'mqtt' | 'modbus' | 'gpio'
  readonly zigbee: boolean
}

const DEVICES: readonly DemoDevice[] = [
  { id: 'smoke-hall-1', type: 'smoke', zone: 'hall', transport: 'mqtt', zigbee: true },
  { id: 'smoke-backroom-1', type: 'smoke', zone: 'backroom', transport: 'mqtt', zigbee: true },
  { id: 'heat-backroom-1', type: 'heat', zone: 'backroom', transport: 'modbus', zigbee: false },
  { id: 'leak-backroom-1', type: 'leak', zone: 'backroom', transport: 'mqtt', zigbee: true },
  { id: 'water-level-1', type: 'water_level', zone: 'entrance', transport: 'modbus', zigbee: false },
  { id: 'temp-hall-1', type: 'temperature', zone: 'hall', transport: 'mqtt', zigbee: true },
  { id: 'panic-counter-1', type: 'panic_button', zone: 'counter', transport: 'gpio', zigbee: false },
  { id: 'terminal-1', type: 'terminal', zone: 'self-service', transport: 'mqtt', zigbee: false },
  { id: 'terminal-2', type: 'terminal', zone: 'self-service', transport: 'mqtt', zigbee: false },
  { id: 'ups-1', type: 'power', zone: 'backroom', transport: 'modbus', zigbee: false },
  { id: 'queue-counters', type: 'queue', zone: 'hall', transport: 'mqtt', zigbee: false },
]

export interface DemoHour {
  /** Milliseconds since the epoch: the simulated hour is [start, end]. */
  readonly start: number
  readonly end: number
  readonly points: readonly TelemetryPoint[]
}

/** The points of the hour ending at `end` (ms), oldest first. */
export function demoHour(end: number): DemoHour {
  const start = end - HOUR
  const at = (min: number): number => start + Math.round(min * MIN)
  const points: TelemetryPoint[] = []
  const alarms: AlarmStory[] = []
  for (const store of DEMO_STORES) {
    const storeAlarms = alarmStories(store, at, end)
    alarms.push(...storeAlarms)
    for (const story of storeAlarms) points.push(...story.points)
    points.push(...ticketStories(store, at, end))
    points.push(...readings(store, start))
    points.push(...deviceStatus(store, start, at))
    points.push(...gatewayHealth(store, start, at, storeAlarms))
  }
  points.sort((a, b) => a.ts - b.ts)
  return { start, end, points }
}

/** Writes the hour ending at `end` into `influx`'s default database; returns what it wrote. */
export async function writeDemoHour(influx: InfluxDB, end = Date.now()): Promise<DemoHour> {
  const hour = demoHour(end)
  const batch = 5000
  for (let i = 0; i < hour.points.length; i += batch) {
    await influx.writePoints(
      hour.points.slice(i, i + batch).map((p) => ({
        measurement: p.measurement,
        tags: { ...p.tags },
        fields: { ...p.fields },
        timestamp: p.ts,
      })),
      { precision: 'ms' },
    )
  }
  return hour
}

// ---------------------------------------------------------------- readings

function readings(store: DemoStore, start: number): TelemetryPoint[] {
  const a = store === 'sh-pudong-01'
  const out: TelemetryPoint[] = []
  const read = (d: DemoDevice, metric: string, value: ReadingValue, ts: number): void => {
    out.push(
      sensorPoint({ store, deviceId: d.id, deviceType: d.type, zone: d.zone, metric, value, ts, quality: 'good' }),
    )
  }
  for (let tick = 0; tick <= 360; tick++) {
    const ts = start + tick * 10 * SEC
    const min = tick / 6
    const everyMinute = tick % 6 === 0
    for (const d of DEVICES) {
      if (a && d.id === 'terminal-2') continue // down for days: heartbeat missing
      if (!a && d.id === 'leak-backroom-1') continue // never heard from
      if (d.zigbee) {
        read(d, 'battery', battery(store, d.id, min), ts)
        if (everyMinute) read(d, 'linkquality', 90 + ((tick * 7 + d.id.length * 13) % 60), ts)
      }
      switch (d.type) {
        case 'water_level': {
          // sh-pudong-01: rain at the entrance, rising from 15 min, peak 24–30, drained by 36
          const level = a
            ? Math.max(0, min < 15 ? 0 : min < 30 ? Math.min(12, (min - 15) * 1.3) : 12 - (min - 30) * 2)
            : 0.3
          read(d, 'level_cm', Math.round(level * 10) / 10, ts)
          read(d, 'temperature', 17.5 + (tick % 3) * 0.1, ts)
          break
        }
        case 'temperature':
          read(d, 'temperature', Math.round((23 + Math.sin(tick / 30) + (a ? 0 : 1.5)) * 10) / 10, ts)
          if (everyMinute) read(d, 'humidity', a ? 62 : 48, ts)
          break
        case 'heat':
          read(d, 'temperature', a && min >= 50 ? 31 + (min - 50) : 24 + (tick % 4) * 0.1, ts)
          break
        case 'smoke':
          if (everyMinute) read(d, 'smoke', a && d.id === 'smoke-backroom-1' && min >= 50, ts)
          if (!a && d.id === 'smoke-hall-1' && min >= 40 && everyMinute) read(d, 'tamper', tick % 12 === 0, ts)
          break
        case 'leak':
          if (everyMinute) read(d, 'water_leak', false, ts)
          if (a && min >= 8 && min < 9.5) read(d, 'tamper', tick % 2 === 0, ts) // chattering tamper switch
          break
        case 'terminal':
          if (everyMinute) {
            const faulty = a && d.id === 'terminal-1' && min >= 5 && min < 45
            read(d, 'status', faulty ? 'fault' : 'ok', ts)
            read(d, 'fault_codes', faulty ? 'printer' : '', ts)
            read(d, 'paper_low', !a && d.id === 'terminal-2' && min >= 30, ts)
            read(d, 'uptime_sec', 86_400 + tick * 10, ts)
          }
          break
        case 'power':
          if (everyMinute) {
            const outage = !a && min >= 15 && min < 25
            read(d, 'mains_ok', !outage, ts)
            read(d, 'on_battery', outage, ts)
            read(d, 'battery_pct', outage ? 100 - (min - 15) * 3 : 100, ts)
          }
          break
        case 'queue':
          if (everyMinute) {
            // sh-pudong-01: a rush from 10 min, over the 10-min wait target 20–35; bj-xidan-02: a short queue
            const rush = a ? Math.max(0, 10 - Math.abs(min - 27) / 1.5) : 0
            read(d, 'waiting', Math.round(2 + rush * 1.2), ts)
            read(d, 'wait_min', Math.round((a ? 3 + rush * 1.2 : 4) * 10) / 10, ts)
            read(d, 'counters_open', a && min >= 30 ? 4 : 3, ts)
          }
          break
        case 'panic_button':
          if (everyMinute) read(d, 'loop_ok', true, ts)
          break
        default:
          break
      }
    }
  }
  return out
}

function battery(store: DemoStore, deviceId: string, min: number): number {
  if (store === 'bj-xidan-02' && deviceId === 'temp-hall-1') return Math.max(8, Math.round(14 - min / 6)) // runs low
  return 80 + (deviceId.length % 15)
}

// ---------------------------------------------------------- device status

function deviceStatus(store: DemoStore, start: number, at: (min: number) => number): TelemetryPoint[] {
  const a = store === 'sh-pudong-01'
  const out: TelemetryPoint[] = []
  for (let min = 0; min <= 60; min++) {
    const ts = at(min)
    for (const d of DEVICES) {
      const reasons: string[] = []
      let lastSeenAgeSec: number | null = min % 2 === 0 ? 4 : 9
      if (a && d.id === 'terminal-2') {
        reasons.push('silent')
        lastSeenAgeSec = Math.round((ts - (start - 3 * DAY)) / SEC)
      }
      if (!a && d.id === 'leak-backroom-1') {
        reasons.push('silent')
        lastSeenAgeSec = null
      }
      if (a && d.id === 'leak-backroom-1' && min >= 8 && min < 21) reasons.push('tamper')
      if (!a && d.id === 'temp-hall-1' && min >= 30) reasons.push('battery')
      if (!a && d.id === 'smoke-hall-1' && min >= 40) reasons.push('tamper')
      const sample: DeviceStatusSample = {
        deviceId: d.id,
        type: d.type,
        zone: d.zone,
        transport: d.transport,
        status: reasons.length > 0 ? 'fault' : 'ok',
        reasons,
        lastSeenAgeSec,
        battery: d.zigbee && lastSeenAgeSec !== null ? battery(store, d.id, min) : null,
        linkquality: d.zigbee && lastSeenAgeSec !== null ? 90 + ((min * 42 + d.id.length * 13) % 60) : null,
      }
      out.push(deviceStatusPoint(store, sample, ts))
    }
  }
  return out
}

// ------------------------------------------------------------------ alarms

interface AlarmStep {
  readonly at: number
  readonly action: AlarmAction
  readonly state: AlarmState
  readonly severity?: Severity
  readonly escalationLevel?: number
  readonly chattering?: boolean
}

interface AlarmStory {
  readonly points: readonly TelemetryPoint[]
  /** Whether the alarm is open at `ts`, from its own events. */
  openAt(ts: number): boolean
}

function alarmStory(
  store: DemoStore,
  base: {
    id: string
    kind: AlarmKind
    severity: Severity
    deviceId: string
    zone: string
    latching?: boolean
    silent?: boolean
  },
  steps: readonly AlarmStep[],
): AlarmStory {
  const raisedAt = new Date(steps[0]?.at ?? 0).toISOString()
  let alarm: Alarm = sampleAlarm({
    id: base.id,
    key: `${base.kind}:${base.deviceId}`,
    kind: base.kind,
    severity: base.severity,
    latching: base.latching ?? false,
    silent: base.silent ?? false,
    deviceId: base.deviceId,
    zone: base.zone,
    message: `${base.kind} ${base.deviceId}`,
    messages: { 'zh-CN': `${base.kind} ${base.deviceId}`, en: `${base.kind} ${base.deviceId}` },
    checklist: { 'zh-CN': [], en: [] },
    raisedAt,
    updatedAt: raisedAt,
    shelvable: true,
  })
  const points: TelemetryPoint[] = []
  const openFrom: { ts: number; open: boolean }[] = []
  for (const step of steps) {
    const iso = new Date(step.at).toISOString()
    alarm = {
      ...alarm,
      state: step.state,
      severity: step.severity ?? alarm.severity,
      escalationLevel: step.escalationLevel ?? alarm.escalationLevel,
      chattering: step.chattering ?? alarm.chattering,
      conditionActive: step.state === 'active_unacked' || step.state === 'active_acked',
      updatedAt: iso,
      ackedAt: step.action === 'acked' ? iso : alarm.ackedAt,
      ackedBy: step.action === 'acked' ? 'duty-manager' : alarm.ackedBy,
      clearedAt: step.state === 'closed' || step.state === 'cleared_unacked' ? iso : alarm.clearedAt,
    }
    const event: AlarmEvent = { type: 'alarm', action: step.action, alarm, by: 'rule:demo', at: iso }
    points.push(alarmPoint(store, event))
    openFrom.push({ ts: step.at, open: step.state !== 'closed' })
  }
  return {
    points,
    openAt: (ts) => openFrom.filter((o) => o.ts <= ts).at(-1)?.open ?? false,
  }
}

function alarmStories(store: DemoStore, at: (min: number) => number, end: number): AlarmStory[] {
  if (store === 'sh-pudong-01') {
    return [
      alarmStory(
        store,
        {
          id: 'a-sh-terminal-1',
          kind: 'terminal_fault',
          severity: 'major',
          deviceId: 'terminal-1',
          zone: 'self-service',
        },
        [
          { at: at(5), action: 'raised', state: 'active_unacked' },
          { at: at(12), action: 'acked', state: 'active_acked' },
          { at: at(45), action: 'cleared', state: 'closed' },
        ],
      ),
      alarmStory(
        store,
        {
          id: 'a-sh-terminal-2',
          kind: 'terminal_fault',
          severity: 'major',
          deviceId: 'terminal-2',
          zone: 'self-service',
        },
        [
          { at: end - 3 * DAY, action: 'raised', state: 'active_unacked' },
          { at: end - 3 * DAY + 20 * MIN, action: 'acked', state: 'active_acked' },
          { at: at(30), action: 'escalated', state: 'active_acked', escalationLevel: 1 },
        ],
      ),
      alarmStory(
        store,
        {
          id: 'a-sh-leak-tamper',
          kind: 'device_fault',
          severity: 'minor',
          deviceId: 'leak-backroom-1',
          zone: 'backroom',
        },
        [
          { at: at(8), action: 'raised', state: 'active_unacked' },
          { at: at(8 + 1 / 6), action: 'cleared', state: 'cleared_unacked' },
          { at: at(8 + 2 / 6), action: 'updated', state: 'active_unacked' },
          { at: at(8 + 3 / 6), action: 'cleared', state: 'cleared_unacked' },
          { at: at(8 + 4 / 6), action: 'updated', state: 'active_unacked' },
          { at: at(9), action: 'chattering', state: 'active_unacked', chattering: true },
          { at: at(20), action: 'settled', state: 'active_unacked', chattering: false },
          { at: at(21), action: 'acked', state: 'active_acked' },
          { at: at(22), action: 'cleared', state: 'closed' },
        ],
      ),
      alarmStory(
        store,
        { id: 'a-sh-flood', kind: 'flood', severity: 'major', deviceId: 'water-level-1', zone: 'entrance' },
        [
          { at: at(18), action: 'raised', state: 'active_unacked' },
          { at: at(20.5), action: 'acked', state: 'active_acked' },
          { at: at(24), action: 'escalated', state: 'active_acked', severity: 'critical', escalationLevel: 1 },
          { at: at(36), action: 'cleared', state: 'closed' },
        ],
      ),
      alarmStory(
        store,
        {
          id: 'a-sh-fire',
          kind: 'fire',
          severity: 'critical',
          deviceId: 'smoke-backroom-1',
          zone: 'backroom',
          latching: true,
        },
        [
          { at: at(50), action: 'raised', state: 'active_unacked' },
          { at: at(51), action: 'acked', state: 'active_acked' },
        ],
      ),
    ]
  }
  return [
    alarmStory(
      store,
      {
        id: 'a-bj-terminal-1',
        kind: 'terminal_fault',
        severity: 'major',
        deviceId: 'terminal-1',
        zone: 'self-service',
      },
      [
        { at: end - 4 * DAY, action: 'raised', state: 'active_unacked' },
        { at: end - 4 * DAY + 5 * MIN, action: 'acked', state: 'active_acked' },
        { at: at(38), action: 'cleared', state: 'closed' },
      ],
    ),
    alarmStory(
      store,
      {
        id: 'a-bj-terminal-2',
        kind: 'terminal_fault',
        severity: 'major',
        deviceId: 'terminal-2',
        zone: 'self-service',
      },
      [
        { at: end - 2 * DAY, action: 'raised', state: 'active_unacked' },
        { at: end - 2 * DAY + 3 * MIN, action: 'acked', state: 'active_acked' },
      ],
    ),
    alarmStory(
      store,
      { id: 'a-bj-power', kind: 'power_outage', severity: 'major', deviceId: 'ups-1', zone: 'backroom' },
      [
        { at: at(15), action: 'raised', state: 'active_unacked' },
        { at: at(15.75), action: 'acked', state: 'active_acked' },
        { at: at(25), action: 'cleared', state: 'closed' },
      ],
    ),
    alarmStory(
      store,
      { id: 'a-bj-temp-battery', kind: 'device_fault', severity: 'minor', deviceId: 'temp-hall-1', zone: 'hall' },
      [{ at: at(30), action: 'raised', state: 'active_unacked' }],
    ),
    alarmStory(
      store,
      { id: 'a-bj-smoke-tamper', kind: 'device_fault', severity: 'minor', deviceId: 'smoke-hall-1', zone: 'hall' },
      [
        { at: at(40), action: 'raised', state: 'active_unacked' },
        { at: at(41), action: 'cleared', state: 'cleared_unacked' },
        { at: at(42), action: 'updated', state: 'active_unacked' },
        { at: at(43), action: 'cleared', state: 'cleared_unacked' },
        { at: at(44), action: 'updated', state: 'active_unacked' },
        { at: at(44.5), action: 'chattering', state: 'active_unacked', chattering: true },
      ],
    ),
  ]
}

// ----------------------------------------------------------------- tickets

interface TicketStep {
  readonly at: number
  readonly action: TicketAction
  readonly status: TicketStatus
  readonly fraction?: number
  /** On resolve: the SLA record (business time is the calendar's; here given). */
  readonly businessRepairMs?: number
}

function ticketStory(
  store: DemoStore,
  base: { id: string; deviceId: string; openedAt: number; dueAt: number },
  steps: readonly TicketStep[],
): TelemetryPoint[] {
  const iso = (ms: number): string => new Date(ms).toISOString()
  let ticket: Ticket = {
    id: base.id,
    deviceId: base.deviceId,
    deviceType: 'terminal',
    source: 'rule',
    facility: null,
    zone: 'self-service',
    faultCodes: ['printer'],
    alarmId: null,
    alarmKey: `terminal_fault:${base.deviceId}`,
    reason: { 'zh-CN': '打印机故障', en: 'printer fault' },
    status: 'open',
    openedAt: iso(base.openedAt),
    dueAt: iso(base.dueAt),
    slaBusinessMs: 2 * 12 * HOUR,
    assignee: null,
    remindersSent: [],
    breachedAt: null,
    removalDueAt: iso(base.openedAt + 7 * DAY),
    removalNotifiedAt: null,
    healthySince: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    sla: null,
    updatedAt: iso(base.openedAt),
    history: [],
  }
  const points: TelemetryPoint[] = []
  for (const step of steps) {
    const at = iso(step.at)
    let slaRecord: TicketSlaRecord | undefined
    ticket = {
      ...ticket,
      status: step.status,
      updatedAt: at,
      breachedAt: step.action === 'breached' ? at : ticket.breachedAt,
      remindersSent: step.fraction !== undefined ? [...ticket.remindersSent, step.fraction] : ticket.remindersSent,
    }
    if (step.action === 'resolved') {
      const sla = {
        businessRepairMs: step.businessRepairMs ?? 0,
        wallRepairMs: step.at - base.openedAt,
        met: step.at <= base.dueAt,
      }
      ticket = { ...ticket, resolvedAt: at, resolvedBy: 'maintainer', resolution: 'repaired', sla }
      slaRecord = {
        ...sla,
        ticketId: ticket.id,
        deviceId: ticket.deviceId,
        zone: ticket.zone,
        resolution: 'repaired',
        openedAt: ticket.openedAt,
        dueAt: ticket.dueAt,
        resolvedAt: at,
      }
    }
    const event: TicketEvent = {
      type: 'ticket',
      action: step.action,
      ticket,
      by: 'gateway:demo',
      at,
      ...(step.fraction !== undefined ? { fraction: step.fraction } : {}),
      ...(slaRecord ? { slaRecord } : {}),
    }
    points.push(ticketPoint(store, event))
  }
  return points
}

function ticketStories(store: DemoStore, at: (min: number) => number, end: number): TelemetryPoint[] {
  if (store === 'sh-pudong-01') {
    const opened1 = at(5)
    const opened2 = end - 3 * DAY
    return [
      // repaired in 40 minutes: well within 2 business days
      ...ticketStory(store, { id: 't-sh-1', deviceId: 'terminal-1', openedAt: opened1, dueAt: opened1 + 2 * DAY }, [
        { at: opened1, action: 'opened', status: 'open' },
        { at: at(12), action: 'acked', status: 'acknowledged' },
        { at: at(15), action: 'started', status: 'in_progress' },
        { at: at(45), action: 'resolved', status: 'resolved', businessRepairMs: 40 * MIN },
      ]),
      // down for 3 days: breached during the hour, still open
      ...ticketStory(store, { id: 't-sh-2', deviceId: 'terminal-2', openedAt: opened2, dueAt: at(29) }, [
        { at: opened2, action: 'opened', status: 'open' },
        { at: opened2 + 30 * MIN, action: 'acked', status: 'acknowledged' },
        { at: at(30), action: 'breached', status: 'acknowledged' },
      ]),
    ]
  }
  const opened1 = end - 4 * DAY
  const opened2 = end - 2 * DAY
  return [
    // breached at 10, repaired late at 40: the SLA record says missed
    ...ticketStory(store, { id: 't-bj-1', deviceId: 'terminal-1', openedAt: opened1, dueAt: at(9.5) }, [
      { at: opened1, action: 'opened', status: 'open' },
      { at: opened1 + HOUR, action: 'started', status: 'in_progress' },
      { at: at(10), action: 'breached', status: 'in_progress' },
      { at: at(40), action: 'resolved', status: 'resolved', businessRepairMs: 2 * 12 * HOUR + 40 * MIN },
    ]),
    // 80 % of its SLA used: due in a few hours
    ...ticketStory(store, { id: 't-bj-2', deviceId: 'terminal-2', openedAt: opened2, dueAt: end + 5 * HOUR }, [
      { at: opened2, action: 'opened', status: 'open' },
      { at: at(20), action: 'reminder', status: 'open', fraction: 0.8 },
    ]),
  ]
}

// ---------------------------------------------------------------- gateway

function gatewayHealth(
  store: DemoStore,
  start: number,
  at: (min: number) => number,
  alarms: readonly AlarmStory[],
): TelemetryPoint[] {
  const a = store === 'sh-pudong-01'
  const out: TelemetryPoint[] = []
  let messagesIn = 0
  let rejected = 0
  let buffered = 0
  let bufferSince: number | null = null
  let centralQueued = 0
  for (let tick = 0; tick <= 360; tick++) {
    const ts = start + tick * 10 * SEC
    const min = tick / 6
    const perSec = a ? 1.6 : 1.4
    messagesIn += Math.round(perSec * 10)
    if (!a && tick % 30 === 7) rejected += 2 // a misconfigured sensor sends garbage now and then
    // sh-pudong-01: InfluxDB unreachable 40–45 min, replayed by 47
    const outage = a && ts >= at(40) && ts < at(45)
    if (outage) {
      buffered += Math.round(perSec * 10) + 2
      bufferSince ??= ts
    } else if (buffered > 0) {
      buffered = Math.max(0, buffered - 120)
      if (buffered === 0) bufferSince = null
    }
    // sh-pudong-01 is bridged to the chain's centre, which is unreachable 25–35 min
    const centralDown = a && ts >= at(25) && ts < at(35)
    centralQueued = centralDown ? centralQueued + 1 + (tick % 2) : Math.max(0, centralQueued - 20)
    out.push(
      gatewayPoint(
        store,
        {
          readingsPerSec: perSec + (tick % 3) * 0.1,
          messagesIn,
          rejected,
          bufferPoints: buffered,
          bufferAgeSec: bufferSince === null ? 0 : Math.round((ts - bufferSince) / SEC),
          writeLatencyMs: outage ? 5000 : 4 + (tick % 5),
          eventLoopLagMs: 1 + (tick % 4) * 0.5 + (min >= 50 && min < 51 ? 12 : 0),
          heapUsedMb: 48 + (tick % 60) * 0.2,
          rssMb: 96 + (tick % 60) * 0.25,
          openAlarms: alarms.filter((s) => s.openAt(ts)).length,
          uptimeSec: 7 * 24 * 3600 + tick * 10,
        },
        ts,
        a ? { connected: !centralDown, queued: centralQueued } : null,
      ),
    )
  }
  return out
}
