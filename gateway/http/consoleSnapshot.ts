import type { Alarm } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import type { DeviceStatus } from '../core/ports.js'
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
  readonly devices: readonly DeviceStatus[]
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
