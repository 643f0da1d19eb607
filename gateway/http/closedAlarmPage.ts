import { ALARM_KINDS, type Alarm, type AlarmKind } from '../core/alarm.js'
import type { ClosedAlarmQuery, ClosedAlarms } from '../core/ports.js'
import type { Role } from '../core/roles.js'
import { seesAlarm } from './alarmVisibility.js'
import { badRequest } from './badRequest.js'

const DEFAULT_PAGE = 50

/** `GET /api/alarms` query: the open list takes none of it; `state=closed` takes every filter. */
export const alarmListQuery = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['open', 'closed'] },
    since: { type: 'string', format: 'date-time' },
    before: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: [...ALARM_KINDS] },
    zone: { type: 'string', minLength: 1, maxLength: 64 },
    // strings: the server does not coerce query values (coerceTypes: false)
    // 1 to 100: a page of history is read on a tablet, 100 rows at most keeps it light for the gateway and the page
    limit: { type: 'string', pattern: '^([1-9][0-9]?|100)$' },
    cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,400}$' },
  },
  additionalProperties: false,
} as const

export interface AlarmListQuery {
  state?: 'open' | 'closed'
  since?: string
  before?: string
  kind?: AlarmKind
  zone?: string
  limit?: string
  cursor?: string
}

const CLOSED_ONLY = ['since', 'before', 'kind', 'zone', 'limit', 'cursor'] as const

/** 400 for a closed-history filter on the open list: silently ignoring it would look like a filtered answer. */
export function assertOpenListQuery(query: AlarmListQuery): void {
  const stray = CLOSED_ONLY.find((name) => query[name] !== undefined)
  if (stray !== undefined) throw badRequest(`querystring/${stray} applies to state=closed only`)
}

/**
 * One page of closed alarms as `role` may see them, with the cursor of the
 * next page (null on the last). Visibility is `seesAlarm`, the very rule of
 * the open list: silent alarms are skipped below manager, and the page is
 * filled from further rows rather than coming back short, so the count of
 * rows tells nothing of what was skipped. A cursor only ever names an alarm
 * the caller was shown.
 */
export function closedAlarmPage(
  closed: ClosedAlarms,
  role: Role,
  query: AlarmListQuery,
): { alarms: Alarm[]; nextCursor: string | null } {
  const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit)
  const base: Omit<ClosedAlarmQuery, 'after' | 'limit'> = {
    since: isoOf('since', query.since),
    before: isoOf('before', query.before),
    kind: query.kind ?? null,
    zone: query.zone ?? null,
  }
  const shown: Alarm[] = []
  let after = query.cursor === undefined ? null : decodeCursor(query.cursor)
  for (;;) {
    const rows = closed.page({ ...base, after, limit: limit + 1 })
    for (const alarm of rows) if (shown.length <= limit && seesAlarm(role, alarm)) shown.push(alarm)
    const last = rows.at(-1)
    if (shown.length > limit || rows.length <= limit || last === undefined) break
    after = { closedAt: last.updatedAt, id: last.id }
  }
  const alarms = shown.slice(0, limit)
  const end = alarms.at(-1)
  return { alarms, nextCursor: shown.length > limit && end ? encodeCursor(end) : null }
}

/** The journal's timestamps are `toISOString()`; a query's offset form is brought to the same to compare as text. */
function isoOf(name: string, value: string | undefined): string | null {
  if (value === undefined) return null
  const ms = Date.parse(value)
  // the schema's date-time takes a leap second (23:59:60), which no Date can hold
  if (Number.isNaN(ms)) throw badRequest(`querystring/${name} is not a time this server can read`)
  return new Date(ms).toISOString()
}

function encodeCursor(alarm: Alarm): string {
  return Buffer.from(JSON.stringify([alarm.updatedAt, alarm.id])).toString('base64url')
}

function decodeCursor(cursor: string): { closedAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2) {
      const [closedAt, id] = value
      if (typeof closedAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(closedAt)))
        return { closedAt, id }
    }
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('querystring/cursor is not a cursor this server gave')
}
