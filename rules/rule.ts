import { Type as T } from '@sinclair/typebox'
import type { Alarm, LocalizedText } from '../gateway/core/alarm.js'
import type { CommStatus } from '../gateway/core/commStatus.js'
import type { ComplaintReport } from '../gateway/core/complaint.js'
import type { Intent } from '../gateway/core/intent.js'
import type { DeviceType, Reading, ReadingValue } from '../gateway/core/reading.js'
import type { TextBook } from '../gateway/core/texts.js'
import type { TicketableType } from '../gateway/core/ticket.js'
import type { WeatherWarning } from '../gateway/core/weather.js'
import type { BatteryThresholds } from './batteryLow.js'
import type { TextTemplates } from './checklists/texts.js'

/** What a rule may know about a device. */
export interface DeviceInfo {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  readonly name: string
  /** How it is read: MQTT devices report by themselves; Modbus and GPIO are read by the gateway. */
  readonly transport: 'mqtt' | 'modbus' | 'gpio'
  /** Set when its type's faults get a repair ticket (docs/requirements.md#ticketable-facilities). */
  readonly ticket?: TicketableType
}

/** A rule's read-only window on the gateway: latest values, devices, open alarms. */
export interface RuleView {
  readonly store: string
  now(): number
  device(id: string): DeviceInfo | undefined
  devices(filter: { readonly type?: DeviceType; readonly zone?: string }): readonly DeviceInfo[]
  latest(deviceId: string, metric: string): { readonly value: ReadingValue; readonly ts: number } | undefined
  openAlarm(key: string): Alarm | undefined
  /** When the device was last heard from (ms), undefined if never since start. */
  lastSeen(deviceId: string): number | undefined
  /** The device's expected report interval: its `heartbeatSec`, else its type's default. */
  heartbeatSec(deviceId: string): number
  /**
   * What the device's battery is judged against: its own `lowBatteryPct` /
   * `lowBatteryMv`, else the store's setting for its type, else the store-wide
   * % threshold and its type's shipped voltage threshold.
   */
  batteryThresholds(deviceId: string): BatteryThresholds
  /** When the engine started (ms): silence is measured from here for devices never heard. */
  readonly startedAt: number
  /** The adapter's last word on the device's communication; undefined if it never said. */
  comm(deviceId: string): CommStatus | undefined
  /**
   * The store's wording of every checklist and notice, its hotline filled in and its overrides applied
   * (docs/requirements.md#store-texts): the config, not the rule, decides the words.
   */
  readonly texts: TextBook<TextTemplates>
  /**
   * How a message names a zone, in each language: what staff call it (config `zones`), or
   * `hall 区` / `zone hall` when it is not listed (gateway/core/zoneNames.ts `zoneInText`).
   */
  zoneName(zone: string): LocalizedText
  /**
   * When the device's open repair ticket is due, as customers read it: in the store's time zone, in
   * each language (docs/requirements.md#customer-notices-say-when); undefined while it has none.
   */
  openTicketDue(deviceId: string): LocalizedText | undefined
  /** The store's IANA time zone: times in texts are on the store's clock. */
  readonly timeZone: string
  /**
   * The centre's estimate of when the open fault behind `key` is over, ms; null when none is known
   * (docs/requirements.md#network-fault: customer notices say when).
   */
  recoveryEstimate(key: string): number | null
  /**
   * Is the store open at `atMs` (the store calendar: config `store.businessHours` and `specialDays`)?
   * Rules about customers in the hall act only then (docs/requirements.md#queue).
   */
  isOpen(atMs: number): boolean
}

/**
 * docs/design.md#extension-points: a rule is pure. It returns intents; the engine does the side
 * effects. Adding one is one file plus one line in rules/registry.ts.
 */
export interface Rule {
  readonly id: string
  /** The engine indexes rules by these, so a reading only meets rules that care. */
  readonly watches: readonly DeviceType[]
  onReading(reading: Reading, view: RuleView): readonly Intent[]
  /** For hold times, rates and heartbeats; called about once a second. */
  onTick?(view: RuleView): readonly Intent[]
  /** An adapter says a device's communication went bad or came back (docs/requirements.md#supervision). */
  onCommStatus?(deviceId: string, status: CommStatus, view: RuleView): readonly Intent[]
  /** Weather warnings from `<prefix>/weather` (the emergency plan, docs/requirements.md#flood 水灾). */
  onWeather?(warning: WeatherWarning, view: RuleView): readonly Intent[]
  /** A member of staff reports an escalated complaint from the console (docs/requirements.md#escalated-complaint). */
  onComplaintReport?(report: ComplaintReport, view: RuleView): readonly Intent[]
}

/** Every rule's settings start with this, so a store can switch any rule off (rules/registry.ts builds only the enabled ones). */
export const enabled = T.Boolean({ default: true })
