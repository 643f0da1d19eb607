import type { FastifyInstance } from 'fastify'
import { StoreGuardError } from '../core/errors.js'
import type { TicketCommands } from '../core/ports.js'
import { TICKET_STATUSES, type TicketStatus } from '../core/ticket.js'
import type { ApiGuard } from './apiGuard.js'
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
}

/**
 * docs/requirements.md#http-api / docs/requirements.md#resolution-and-sla-record: `GET /api/tickets` (`?status=`, `?limit=`), `GET
 * /api/tickets/:id` for viewers; ack, start and resolve for maintenance;
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

function notFound(id: string): never {
  throw new StoreGuardError('ticket_not_found', `no ticket ${id}`)
}
