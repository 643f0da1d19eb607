/**
 * What the pages are sent, as JSON over their event streams
 * (gateway/http/consoleSnapshot.ts). Alarms, notices and tickets are the
 * server's own types, so a renamed field fails the browser code's type
 * check. The device row is repeated here because the server declares it
 * next to the storage ports, which would drag Node's types into a browser
 * program.
 */
import type { Alarm, LocalizedText } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import type { DeviceType } from '../core/reading.js'
import type { Role } from '../core/roles.js'
import type { Ticket } from '../core/ticket.js'

export type { Alarm, LocalizedText, Notice, Role, Ticket }

export type Lang = keyof LocalizedText

/** gateway/core/ports.ts DeviceStatus, without the readings the pages never show. */
export interface Device {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  readonly name: string | null
  /** ISO 8601, null if never heard from since start. */
  readonly lastSeen: string | null
  readonly status: 'ok' | 'fault'
  readonly faults: readonly DeviceFault[]
}

export interface DeviceFault {
  readonly reason: string
  readonly since: string
  readonly message: string
  readonly silent: boolean
}

export interface StoreInfo {
  readonly id: string
  readonly name: string
  readonly locale: Lang
  readonly timeZone: string
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
export interface SignageNotice extends Pick<Notice, 'id' | 'zone' | 'deviceId' | 'texts' | 'startsAt' | 'endsAt'> {
  readonly deviceName: string | null
}

/** `event: snapshot` of `GET /api/signage/stream`. */
export interface SignageSnapshot {
  readonly store: { readonly name: string }
  readonly notices: readonly SignageNotice[]
}

/** One parsed Server-Sent Event. */
export interface StreamEvent {
  readonly type: string
  readonly data: string
  readonly id: string
}

/** What `h()` takes as content: nodes, text, nested lists; `false`, null and undefined are skipped. */
export type Child = Node | string | number | false | null | undefined | readonly Child[]
