import type { FastifyInstance } from 'fastify'
import type { Role } from '../config/schema.js'
import type { AlarmCommands, ClosedAlarms } from '../core/ports.js'
import { seesAlarm } from './alarmVisibility.js'
import type { ApiGuard } from './apiGuard.js'
import { type AlarmListQuery, alarmListQuery, assertOpenListQuery, closedAlarmPage } from './closedAlarmPage.js'
import { emptyBodyAsObject, idParams, noteBody } from './routeSchemas.js'
import { higherRole } from './tokenAuth.js'

interface AlarmCommand {
  Params: { id: string }
  Body: { note?: string }
}

export interface AlarmRoutesDeps {
  readonly alarms: AlarmCommands
  readonly guard: ApiGuard
  readonly now: () => number
  /** ISA-18.2: shelving is for a bounded time (config `alarms.maxShelveSec`). */
  readonly maxShelveSec: number
  /**
   * Role needed to reset this alarm (docs/requirements.md#robbery: only a manager may reset a
   * robbery alarm). It can only raise the bar: staff is always required.
   */
  readonly resetRoleFor?: (alarmId: string) => Role
  /** Closed alarms for `?state=closed`; without them that is an empty page. */
  readonly closed?: ClosedAlarms
}

/**
 * `GET /api/alarms` (open, or `?state=closed` paged), `POST /api/alarms/:id/ack`, `POST /api/alarms/:id/reset`.
 * The routes taking an id find the alarm through `guardAlarmIds` (installed by
 * createApiServer) before they run: a silent alarm is 404 below manager.
 */
export function registerAlarmRoutes(app: FastifyInstance, deps: AlarmRoutesDeps): void {
  const { alarms, guard } = deps

  // Robbery (docs/requirements.md#robbery) is silent: below manager, silent alarms are not listed (see
  // seesAlarm), open or closed alike
  app.get<{ Querystring: AlarmListQuery }>(
    '/api/alarms',
    { onRequest: guard.require('viewer'), schema: { querystring: alarmListQuery } },
    async (request) => {
      const { role } = guard.userOf(request)
      if (request.query.state === 'closed')
        return closedAlarmPage(deps.closed ?? { page: () => [] }, role, request.query)
      assertOpenListQuery(request.query)
      return { alarms: alarms.list().filter((a) => seesAlarm(role, a)) }
    },
  )

  app.post<AlarmCommand>(
    '/api/alarms/:id/ack',
    {
      onRequest: guard.require('staff'),
      preValidation: emptyBodyAsObject,
      schema: { params: idParams, body: noteBody },
    },
    async (request) => {
      const by = guard.userOf(request).name
      return { alarm: alarms.ack(request.params.id, by, request.body.note ?? null) }
    },
  )

  app.post<AlarmCommand>(
    '/api/alarms/:id/reset',
    {
      onRequest: guard.require('staff'),
      preValidation: emptyBodyAsObject,
      schema: { params: idParams, body: noteBody },
    },
    async (request) => {
      const { id } = request.params
      // checked after validation, so resetRoleFor only ever sees a well-formed id
      if (deps.resetRoleFor) guard.assertRole(request, higherRole('staff', deps.resetRoleFor(id)))
      const by = guard.userOf(request).name
      return { alarm: alarms.reset(id, by, request.body.note ?? null) }
    },
  )
  registerShelveAndHistory(app, deps)
}

interface ShelveCommand {
  Params: { id: string }
  Body: { durationSec: number; reason: string }
}

/** docs/requirements.md#shelving: shelve for a time with a reason; the history of every alarm, who and when. */
function registerShelveAndHistory(app: FastifyInstance, deps: AlarmRoutesDeps): void {
  const { alarms, guard } = deps
  const shelveBody = {
    type: 'object',
    properties: {
      durationSec: { type: 'number', exclusiveMinimum: 0, maximum: deps.maxShelveSec },
      reason: { type: 'string', minLength: 1, maxLength: 500 },
    },
    required: ['durationSec', 'reason'],
    additionalProperties: false,
  } as const
  app.post<ShelveCommand>(
    '/api/alarms/:id/shelve',
    { onRequest: guard.require('staff'), schema: { params: idParams, body: shelveBody } },
    async (request) => {
      const { durationSec, reason } = request.body
      const by = guard.userOf(request).name
      return { alarm: alarms.shelve(request.params.id, by, deps.now() + durationSec * 1000, reason) }
    },
  )
  app.get<{ Params: { id: string } }>(
    '/api/alarms/:id/history',
    { onRequest: guard.require('viewer'), schema: { params: idParams } },
    // guardAlarmIds has already answered 404 for an unknown id or a silent alarm the caller may not see
    async (request) => ({ history: alarms.history(request.params.id) }),
  )
}
