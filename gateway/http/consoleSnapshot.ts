import type { Alarm, LocalizedText } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import type { DeviceStatus } from '../core/ports.js'
import type { ReadingValue } from '../core/reading.js'
import type { Role } from '../core/roles.js'
import type { Ticket } from '../core/ticket.js'

/**
 * What the staff console (`/`) is sent over `GET /api/stream` (Server-Sent
 * Events, `event: snapshot`, `data:` this as JSON): the whole picture, on
 * connect, on every alarm / ticket / notice change (coalesced) and every
 * few seconds. Whole snapshots rather than deltas: a store has tens of
 * alarms and devices, and a page that missed an event is right again on the
 * next one.
 */
export interface ConsoleSnapshot {
  readonly user: { readonly name: string; readonly role: Role }
  /** ISO 8601; the page counts ticket deadlines down from it, not from a tablet's drifting clock. */
  readonly serverTime: string
  readonly store: StoreInfo
  /**
   * Open alarms the user may see, most severe first, then newest; robbery is
   * silent (docs/requirements.md#robbery), so silent alarms only for manager and admin.
   */
  readonly alarms: readonly Alarm[]
  readonly devices: readonly ConsoleDevice[]
  /** Tickets still waiting for a repair (open, acknowledged, in progress), newest first. */
  readonly tickets: readonly Ticket[]
  /** Active notices, customer and staff. */
  readonly notices: readonly Notice[]
}

export interface StoreInfo {
  readonly id: string
  readonly name: string
  /** The console's default language: zh-CN unless the store says en. */
  readonly locale: 'zh-CN' | 'en'
  readonly timeZone: string
  /** Zone id → what staff call it (config `zones`); a zone not in it is shown by its id. */
  readonly zones?: Readonly<Record<string, LocalizedText>>
  /** The operator's hotline (e.g. 10086), made a tap-to-call link in checklists beside 119, 110 and 120. */
  readonly hotline?: string
}

/** A device as the console lists it: its status and the one reading its line shows. */
export type ConsoleDevice = DeviceStatus & { readonly reading: DeviceReading | null }

/** The latest value of the device type's first metric that has one (a heat detector's temperature). */
export interface DeviceReading {
  readonly metric: string
  readonly value: ReadingValue
  /** From the device type (devices/types), e.g. `°C`; absent for a yes/no or text value. */
  readonly unit?: string
  readonly at: string
}

/**
 * What the customer signage page (`/signage`) is sent over
 * `GET /api/signage/stream` (no sign-in): active customer notices only, in
 * both languages — never an alarm, never a staff notice.
 */
export interface SignageSnapshot {
  readonly store: { readonly name: string }
  readonly notices: readonly SignageNotice[]
  /** `signage.rotateSec`: how long each page of notices stays up when they do not fit on one screen. */
  readonly rotateSec: number
}

export interface SignageNotice
  extends Pick<Notice, 'id' | 'zone' | 'deviceId' | 'texts' | 'startsAt' | 'endsAt' | 'emergency'> {
  /** The device's name from the config (`Terminal 1`), so customers know which machine is meant; else null. */
  readonly deviceName: string | null
}
