import type { FastifyInstance } from 'fastify'
import { cleanDeviceString } from '../../devices/decoders/cleanDeviceString.js'
import { StoreGuardError } from '../core/errors.js'
import type { HandOpenedTicket, TicketCommands } from '../core/ports.js'
import { TICKET_STATUSES, type TicketStatus } from '../core/ticket.js'
import type { ApiGuard } from './apiGuard.js'
import { badRequest } from './badRequest.js'
import { emptyBodyAsObject, idParams, noteBody } from './routeSchemas.js'

const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...TICKET_STATUSES] },
    // strings: the server does not coerce query values (coerceTypes: false)
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$|^1000$' },
  },
  additionalProperties: false,
} as const

const startBody = {
  type: 'object',
  properties: { assignee: { type: 'string', minLength: 1, maxLength: 100 }, note: { type: 'string', maxLength: 500 } },
  additionalProperties: false,
} as const

/** What staff call a facility ("chair at counter 3"): short enough for a ticket title. */
const MAX_FACILITY = 100
/** Text, no photos: what is wrong, in a few sentences. */
const MAX_DESCRIPTION = 500

const openBody = {
  type: 'object',
  properties: {
    facility: { type: 'string', minLength: 1, maxLength: MAX_FACILITY },
    zone: { type: 'string', minLength: 1, maxLength: 64 },
    description: { type: 'string', minLength: 1, maxLength: MAX_DESCRIPTION },
  },
  required: ['facility', 'zone', 'description'],
  additionalProperties: false,
} as const

interface OpenBody {
  facility: string
  zone: string
  description: string
}

interface TicketNote {
  Params: { id: string }
  Body: { note?: string }
}

interface TicketStart {
  Params: { id: string }
  Body: { assignee?: string; note?: string }
}

export interface TicketRoutesDeps {
  readonly tickets: TicketCommands
  readonly guard: ApiGuard
  /** The store's zones (its devices' and the listed ones): a hand-opened ticket is placed in one of them. */
  readonly zones: () => ReadonlySet<string>
}

/**
 * docs/requirements.md#http-api / docs/requirements.md#resolution-and-sla-record: `GET /api/tickets` (`?status=`, `?limit=`), `GET
 * /api/tickets/:id` for viewers; `POST /api/tickets` (a facility staff report by hand) for staff;
 * ack, start and resolve for maintenance;
 * cancel, closing a ticket with no repair, for a manager.
 */
export function registerTicketRoutes(app: FastifyInstance, deps: TicketRoutesDeps): void {
  const { tickets, guard } = deps

  app.get<{ Querystring: { status?: TicketStatus; limit?: string } }>(
    '/api/tickets',
    { onRequest: guard.require('viewer'), schema: { querystring: listQuery } },
    async (request) => {
      const { status, limit } = request.query
      return {
        tickets: tickets.list({
          ...(status !== undefined ? { status } : {}),
          ...(limit !== undefined ? { limit: Number(limit) } : {}),
        }),
      }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/api/tickets/:id',
    { onRequest: guard.require('viewer'), schema: { params: idParams } },
    async (request) => ({ ticket: tickets.get(request.params.id) ?? notFound(request.params.id) }),
  )

  // docs/requirements.md#hand-opened-tickets: staff open a ticket for a facility without a sensor
  app.post<{ Body: OpenBody }>(
    '/api/tickets',
    { onRequest: guard.require('staff'), schema: { body: openBody } },
    async (request, reply) => {
      const report = handReport(request.body, deps.zones())
      return reply.code(201).send({ ticket: tickets.openByHand(report, guard.userOf(request).name) })
    },
  )

  type NoteRun = (id: string, by: string, note: string | null) => unknown
  const noteCommand = (path: string, role: 'maintenance' | 'manager', run: NoteRun) =>
    app.post<TicketNote>(
      `/api/tickets/:id/${path}`,
      {
        onRequest: guard.require(role),
        preValidation: emptyBodyAsObject,
        schema: { params: idParams, body: noteBody },
      },
      async (request) => ({ ticket: run(request.params.id, guard.userOf(request).name, request.body.note ?? null) }),
    )
  noteCommand('ack', 'maintenance', (id, by, note) => tickets.ack(id, by, note))
  noteCommand('resolve', 'maintenance', (id, by, note) => tickets.resolve(id, by, note))
  noteCommand('cancel', 'manager', (id, by, note) => tickets.cancel(id, by, note))

  app.post<TicketStart>(
    '/api/tickets/:id/start',
    {
      onRequest: guard.require('maintenance'),
      preValidation: emptyBodyAsObject,
      schema: { params: idParams, body: startBody },
    },
    async (request) => {
      const { assignee, note } = request.body
      return { ticket: tickets.start(request.params.id, guard.userOf(request).name, assignee ?? null, note ?? null) }
    },
  )
}

/**
 * Cleaned like a device string (docs/rejected-input.md#cleaned-strings): the text reaches MQTT, the
 * notifications and the journal. What the schema cannot say: not blank once cleaned, a zone of the store.
 */
function handReport(body: OpenBody, zones: ReadonlySet<string>): HandOpenedTicket {
  const facility = cleanDeviceString(body.facility, MAX_FACILITY).value.trim()
  const description = cleanDeviceString(body.description, MAX_DESCRIPTION).value.trim()
  if (facility === '') throw badRequest('body/facility must not be blank')
  if (description === '') throw badRequest('body/description must not be blank')
  if (!zones.has(body.zone)) throw badRequest('body/zone is not a zone here')
  return { facility, zone: body.zone, description }
}

function notFound(id: string): never {
  throw new StoreGuardError('ticket_not_found', `no ticket ${id}`)
}
