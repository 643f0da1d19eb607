/**
 * What the pages are sent, as JSON over their event streams
 * (gateway/http/consoleSnapshot.ts). Alarms, notices and tickets are the
 * server's own types, so a renamed field fails the browser code's type
 * check.
 */
import type { Alarm, LocalizedText } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import type { DeviceFault } from '../core/ports.js'
import type { Role } from '../core/roles.js'
import type { Ticket } from '../core/ticket.js'
import type { ConsoleDevice, DeviceReading } from '../http/consoleSnapshot.js'

export type { Alarm, LocalizedText, Notice, Role, Ticket }

export type Lang = keyof LocalizedText

/** A device row, less the raw values and transport the pages never show (its line shows `reading`). */
export type Device = Omit<ConsoleDevice, 'values' | 'transport'>

export type { DeviceFault, DeviceReading }

export interface StoreInfo {
  readonly id: string
  readonly name: string
  readonly locale: Lang
  readonly timeZone: string
  readonly zones?: Readonly<Record<string, LocalizedText>>
  readonly hotline?: string
}

/** `event: snapshot` of `GET /api/stream`. */
export interface ConsoleSnapshot {
  readonly user: { readonly name: string; readonly role: Role }
  readonly serverTime: string
  readonly store: StoreInfo
  readonly alarms: readonly Alarm[]
  readonly devices: readonly Device[]
  readonly tickets: readonly Ticket[]
  readonly notices: readonly Notice[]
}

/** One notice of `GET /api/signage/stream`: customer notices only. */
export interface SignageNotice
  extends Pick<Notice, 'id' | 'zone' | 'deviceId' | 'texts' | 'startsAt' | 'endsAt' | 'emergency'> {
  readonly deviceName: string | null
}

/** `event: snapshot` of `GET /api/signage/stream`. */
export interface SignageSnapshot {
  readonly store: { readonly name: string }
  readonly notices: readonly SignageNotice[]
  readonly rotateSec: number
}

/** One parsed Server-Sent Event. */
export interface StreamEvent {
  readonly type: string
  readonly data: string
  readonly id: string
}

/** What `h()` takes as content: nodes, text, nested lists; `false`, null and undefined are skipped. */
export type Child = Node | string | number | false | null | undefined | readonly Child[]
