import type { CommStatus } from '../../devices/adapter.js'
import type { Alarm, LocalizedText } from '../../gateway/core/alarm.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import { zoneInText } from '../../gateway/core/zoneNames.js'
import type { BatteryThresholds } from '../../rules/batteryLow.js'
import type { DeviceInfo, RuleView } from '../../rules/rule.js'
import { shippedTexts } from './shippedTexts.js'

/**
 * An in-memory RuleView for pure rule tests: set devices, latest values,
 * open alarms and the clock, then call the rule. Readings given to `record`
 * update `latest` and `lastSeen` as the engine does before calling a rule.
 */
/** A device for rule tests: transport defaults to MQTT. */
export type TestDevice = Omit<DeviceInfo, 'transport'> & { readonly transport?: DeviceInfo['transport'] }

export function fakeRuleView(testDevices: readonly TestDevice[], startedAt = 0) {
  const devices: DeviceInfo[] = testDevices.map((d) => ({ transport: 'mqtt', ...d }))
  const comm = new Map<string, CommStatus>()
  let now = startedAt
  const latest = new Map<string, { value: ReadingValue; ts: number }>()
  const lastSeen = new Map<string, number>()
  const open = new Map<string, Alarm>()
  const heartbeats = new Map<string, number>()
  const batteries = new Map<string, BatteryThresholds>()
  // no zone listed unless a test names one: messages then say `hall 区` / `zone hall`, as the engine does
  const zoneNames: Record<string, LocalizedText> = {}
  const ticketDue = new Map<string, LocalizedText>()
  const estimates = new Map<string, number>()
  // open round the clock unless a test gives the store hours
  let isOpen: (atMs: number) => boolean = () => true
  const view: RuleView = {
    store: 'test-store',
    startedAt,
    now: () => now,
    device: (id) => devices.find((d) => d.id === id),
    devices: (f) => devices.filter((d) => (!f.type || d.type === f.type) && (!f.zone || d.zone === f.zone)),
    latest: (id, metric) => latest.get(`${id}/${metric}`),
    openAlarm: (key) => open.get(key),
    lastSeen: (id) => lastSeen.get(id),
    heartbeatSec: (id) => heartbeats.get(id) ?? 60,
    batteryThresholds: (id) => batteries.get(id) ?? { lowPct: 15, lowMv: undefined },
    comm: (id) => comm.get(id),
    // the shipped wording for a store of the default operator
    texts: shippedTexts,
    zoneName: (zone) => zoneInText(zoneNames, zone),
    openTicketDue: (id) => ticketDue.get(id),
    timeZone: 'Asia/Shanghai',
    recoveryEstimate: (key) => estimates.get(key) ?? null,
    isOpen: (atMs) => isOpen(atMs),
  }
  return {
    view,
    /** Moves the clock to `ms` (absolute). */
    at(ms: number) {
      now = ms
    },
    record(deviceId: string, metric: string, value: ReadingValue) {
      latest.set(`${deviceId}/${metric}`, { value, ts: now })
      lastSeen.set(deviceId, now)
    },
    setComm(deviceId: string, status: CommStatus) {
      comm.set(deviceId, status)
    },
    setHeartbeat(deviceId: string, sec: number) {
      heartbeats.set(deviceId, sec)
    },
    /** Lists the zone under `name`, as the config's `zones` does. */
    nameZone(zone: string, name: LocalizedText) {
      zoneNames[zone] = name
    },
    /** The device's open ticket falls due at `due` (null: it has none). */
    setTicketDue(deviceId: string, due: LocalizedText | null) {
      if (due === null) ticketDue.delete(deviceId)
      else ticketDue.set(deviceId, due)
    },
    /** The store calendar's answer to "open at this instant?" (default: always open). */
    setOpen(open: (atMs: number) => boolean) {
      isOpen = open
    },
    setBatteryThresholds(deviceId: string, thresholds: BatteryThresholds) {
      batteries.set(deviceId, thresholds)
    },
    /** Marks an alarm open for `key` (only the fields a rule reads are needed). */
    openAlarm(key: string, alarm: Partial<Alarm> = {}) {
      open.set(key, { key, ...alarm } as Alarm)
    },
    closeAlarm(key: string) {
      open.delete(key)
    },
    /** The centre's recovery estimate for the fault behind `key` (ms), or null for none. */
    setEstimate(key: string, at: number | null) {
      if (at === null) estimates.delete(key)
      else estimates.set(key, at)
    },
  }
}
