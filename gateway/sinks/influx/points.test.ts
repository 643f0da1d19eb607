import { describe, expect, it } from 'vitest'
import { RAISED_AT, ticketEvent } from '../../channels/testing/sampleEvents.js'
import { ticketPoint } from './points.js'

const HOUR_MS = 3_600_000
// the sample ticket is due 131 h after RAISED_AT; it is resolved 25.5 h after it
const RESOLVED_AT = '2024-05-02T03:30:00.000Z'

describe('ticket changes as the InfluxDB ticket measurement', () => {
  it('an opened ticket: tagged store, device and zone; open, with the seconds left until it is due', () => {
    const point = ticketPoint('s1', ticketEvent())
    expect(point).toEqual({
      measurement: 'ticket',
      tags: { store: 's1', device: 't-1', zone: 'self-service' },
      fields: { action: 'opened', status: 'open', ticket_id: 'tk-1', open: 1, due_in_sec: 131 * 3600 },
      ts: Date.parse(RAISED_AT),
    })
  })

  it('a resolved ticket: closed, with business and wall-clock repair seconds and whether the SLA was met', () => {
    const event = ticketEvent(
      {
        action: 'resolved',
        at: RESOLVED_AT,
        slaRecord: {
          ticketId: 'tk-1',
          deviceId: 't-1',
          zone: 'self-service',
          resolution: 'repaired',
          openedAt: RAISED_AT,
          dueAt: '2024-05-06T13:00:00.000Z',
          resolvedAt: RESOLVED_AT,
          businessRepairMs: 9.5 * HOUR_MS + 400,
          wallRepairMs: 25.5 * HOUR_MS,
          met: true,
        },
      },
      { status: 'resolved', resolvedAt: RESOLVED_AT, resolvedBy: 'dave', resolution: 'repaired' },
    )
    expect(ticketPoint('s1', event)).toEqual({
      measurement: 'ticket',
      tags: { store: 's1', device: 't-1', zone: 'self-service' },
      fields: {
        action: 'resolved',
        status: 'resolved',
        ticket_id: 'tk-1',
        open: 0,
        due_in_sec: (131 - 25.5) * 3600,
        business_repair_sec: 34_200,
        wall_repair_sec: 91_800,
        sla_met: true,
      },
      ts: Date.parse(RESOLVED_AT),
    })
  })

  it('a breached repair records sla_met false; a cancelled ticket is closed without repair times', () => {
    const breached = ticketEvent(
      {
        action: 'resolved',
        slaRecord: {
          ticketId: 'tk-1',
          deviceId: 't-1',
          zone: 'self-service',
          resolution: 'auto',
          openedAt: RAISED_AT,
          dueAt: RAISED_AT,
          resolvedAt: RAISED_AT,
          businessRepairMs: 0,
          wallRepairMs: 0,
          met: false,
        },
      },
      { status: 'resolved' },
    )
    expect(ticketPoint('s1', breached).fields).toMatchObject({ open: 0, sla_met: false })
    const cancelled = ticketPoint('s1', ticketEvent({ action: 'cancelled' }, { status: 'cancelled' }))
    expect(cancelled.fields).toMatchObject({ action: 'cancelled', status: 'cancelled', open: 0 })
    expect(Object.keys(cancelled.fields)).not.toContain('sla_met')
  })
})
