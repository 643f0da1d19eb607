import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quietApiDeps } from '../../test/support/apiServerDeps.js'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import type { DeviceStatus } from '../core/ports.js'
import type { Ticket } from '../core/ticket.js'
import type { TicketService } from '../tickets/ticketService.js'
import { createApiServer } from './apiServer.js'
import { listen } from './listen.js'

const { tokens, users } = apiTestUsers()

/** A device in zone `hall`, so the store has that zone. */
const HALL_LIGHT_SENSOR: DeviceStatus = {
  id: 'temp-1',
  type: 'temperature',
  zone: 'hall',
  name: null,
  lastSeen: null,
  values: {},
  transport: 'mqtt',
  status: 'ok',
  faults: [],
}

describe('ticket API on a listening server', () => {
  const h = ticketHarness({ start: '2026-09-30T15:00:00+08:00' })
  let tickets: TicketService
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    tickets = h.start().tickets
    app = createApiServer({ ...quietApiDeps(users), devices: { list: () => [HALL_LIGHT_SENSOR] }, tickets })
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    await app.close()
    h.close()
  })

  function call(method: string, path: string, bearer?: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {}
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    return fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  }
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code
  const newTicket = (deviceId: string): Ticket => tickets.request(ticketRequest(deviceId, ['printer'], h.now()))

  it('needs a token to list tickets', async () => {
    expect((await call('GET', '/api/tickets')).status).toBe(401)
  })

  it('lets a viewer list open tickets, filter by status and read one ticket', async () => {
    const open = newTicket('terminal-1')
    const done = newTicket('terminal-2')
    tickets.resolve(done.id, 'dave', null)

    const list = await call('GET', '/api/tickets', tokens.viewer)
    expect(list.status).toBe(200)
    expect(((await list.json()) as { tickets: Ticket[] }).tickets.map((t) => t.id)).toContain(open.id)

    const resolved = await call('GET', '/api/tickets?status=resolved&limit=10', tokens.viewer)
    expect(((await resolved.json()) as { tickets: Ticket[] }).tickets.map((t) => t.id)).toEqual([done.id])

    const one = await call('GET', `/api/tickets/${open.id}`, tokens.viewer)
    expect(await one.json()).toEqual({ ticket: open })
  })

  it('answers 400 to an unknown status filter', async () => {
    const res = await call('GET', '/api/tickets?status=lost', tokens.viewer)
    expect(res.status).toBe(400)
    expect(await errorCode(res)).toBe('bad_request')
  })

  it('answers 404 ticket_not_found for an unknown ticket, read or moved', async () => {
    for (const [method, path] of [
      ['GET', '/api/tickets/nope'],
      ['POST', '/api/tickets/nope/resolve'],
    ] as const) {
      const res = await call(method, path, tokens.maintenance)
      expect(res.status).toBe(404)
      expect(await errorCode(res)).toBe('ticket_not_found')
    }
  })

  it('turns staff away from resolving with 403, and lets maintenance resolve with a note', async () => {
    const ticket = newTicket('terminal-3')
    const byStaff = await call('POST', `/api/tickets/${ticket.id}/resolve`, tokens.staff, { note: 'looks fine' })
    expect(byStaff.status).toBe(403)
    expect(await errorCode(byStaff)).toBe('forbidden')
    expect(tickets.get(ticket.id)?.status).toBe('open')

    const byMaintenance = await call('POST', `/api/tickets/${ticket.id}/resolve`, tokens.maintenance, {
      note: 'printer replaced',
    })
    expect(byMaintenance.status).toBe(200)
    const { ticket: resolved } = (await byMaintenance.json()) as { ticket: Ticket }
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: 'dave',
      resolution: 'repaired',
      sla: { met: true },
    })
    expect(resolved.history.at(-1)).toMatchObject({ action: 'resolved', by: 'dave', note: 'printer replaced' })
  })

  it('answers 409 ticket_transition_invalid to resolving a resolved ticket or acknowledging twice', async () => {
    const ticket = newTicket('terminal-4')
    expect((await call('POST', `/api/tickets/${ticket.id}/ack`, tokens.maintenance)).status).toBe(200)
    const twice = await call('POST', `/api/tickets/${ticket.id}/ack`, tokens.maintenance)
    expect(twice.status).toBe(409)
    expect(await errorCode(twice)).toBe('ticket_transition_invalid')
    expect((await call('POST', `/api/tickets/${ticket.id}/resolve`, tokens.maintenance)).status).toBe(200)
    const again = await call('POST', `/api/tickets/${ticket.id}/resolve`, tokens.maintenance)
    expect(again.status).toBe(409)
    expect(await errorCode(again)).toBe('ticket_transition_invalid')
  })

  it('lets maintenance start work for an assignee, or for themselves without a body', async () => {
    const ticket = newTicket('terminal-5')
    const res = await call('POST', `/api/tickets/${ticket.id}/start`, tokens.maintenance, {
      assignee: 'erin',
      note: 'on site at 10',
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { ticket: Ticket }).ticket).toMatchObject({ status: 'in_progress', assignee: 'erin' })
    const other = newTicket('terminal-6')
    const bare = await call('POST', `/api/tickets/${other.id}/start`, tokens.maintenance)
    expect(((await bare.json()) as { ticket: Ticket }).ticket.assignee).toBe('dave')
    const extra = await call('POST', `/api/tickets/${other.id}/start`, tokens.maintenance, { assignee: 'x', by: 'y' })
    expect(extra.status).toBe(400)
  })

  describe('a ticket staff open by hand for a facility without a sensor (docs/requirements.md#hand-opened-tickets)', () => {
    const CHAIR = { facility: 'Chair at counter 3', zone: 'hall', description: 'Back rest broken off' }

    it('staff open it: 201 with the ticket, no device, due on the business clock and removable after a week', async () => {
      const res = await call('POST', '/api/tickets', tokens.staff, CHAIR)
      expect(res.status).toBe(201)
      const { ticket } = (await res.json()) as { ticket: Ticket }
      expect(ticket).toMatchObject({
        deviceId: null,
        deviceType: null,
        source: 'staff',
        facility: 'Chair at counter 3',
        zone: 'hall',
        alarmKey: null,
        status: 'open',
        reason: { en: 'Chair at counter 3: Back rest broken off' },
      })
      expect(ticket.history[0]).toMatchObject({ action: 'opened', by: 'bob' })
      expect(Date.parse(ticket.removalDueAt) - Date.parse(ticket.openedAt)).toBe(7 * 86_400_000)
      expect(tickets.get(ticket.id)).toEqual(ticket)
    })

    it('refuses a viewer (403) and a caller without a token (401)', async () => {
      expect((await call('POST', '/api/tickets', tokens.viewer, CHAIR)).status).toBe(403)
      expect((await call('POST', '/api/tickets', undefined, CHAIR)).status).toBe(401)
    })

    it('answers 400 naming the field for a missing description, a blank facility or a zone the store does not have', async () => {
      const messageOf = async (body: unknown) => {
        const res = await call('POST', '/api/tickets', tokens.staff, body)
        expect(res.status).toBe(400)
        return ((await res.json()) as { error: { code: string; message: string } }).error
      }
      const { description: _, ...noDescription } = CHAIR
      expect((await messageOf(noDescription)).message).toContain('description')
      expect((await messageOf({ ...CHAIR, facility: '  \u0007 ' })).message).toMatch(/^body\/facility/)
      expect((await messageOf({ ...CHAIR, zone: 'roof' })).message).toMatch(/^body\/zone/)
      expect((await messageOf({ ...CHAIR, photo: 'data:image/png;base64,AAAA' })).code).toBe('bad_request')
    })
  })

  it('lets only a manager cancel a ticket', async () => {
    const ticket = newTicket('terminal-7')
    expect((await call('POST', `/api/tickets/${ticket.id}/cancel`, tokens.maintenance)).status).toBe(403)
    const res = await call('POST', `/api/tickets/${ticket.id}/cancel`, tokens.manager, { note: 'opened by mistake' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { ticket: Ticket }).ticket).toMatchObject({
      status: 'cancelled',
      resolution: 'cancelled',
      sla: null,
    })
  })
})
