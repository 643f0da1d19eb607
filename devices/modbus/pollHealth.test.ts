import { describe, expect, it } from 'vitest'
import type { CommStatus } from '../adapter.js'
import { createPollHealth } from './pollHealth.js'

const timeout = { reason: 'modbus_timeout', detail: 'no answer within 200 ms' } as const

function track(faultAfterFailures: number) {
  const reports: CommStatus[] = []
  return { reports, health: createPollHealth(faultAfterFailures, (s) => reports.push(s)) }
}

describe('pollHealth', () => {
  it('puts a device in fault after the configured number of failed polls in a row, once', () => {
    const { reports, health } = track(3)
    health.failed(timeout)
    health.failed(timeout)
    expect(reports).toEqual([])
    health.failed(timeout)
    health.failed({ reason: 'connection_lost', detail: 'closed' })
    expect(reports).toEqual([
      { ok: false, reason: 'modbus_timeout', detail: '3 polls in a row failed: no answer within 200 ms' },
    ])
    expect(health.inFault).toBe(true)
  })

  it('forgives failures that a good poll interrupts', () => {
    const { reports, health } = track(2)
    health.failed(timeout)
    health.succeeded()
    health.failed(timeout)
    expect(reports).toEqual([])
  })

  it('reports recovery once, on the first good poll after a fault', () => {
    const { reports, health } = track(1)
    health.failed(timeout)
    health.succeeded()
    health.succeeded()
    expect(reports.map((r) => r.ok)).toEqual([false, true])
    expect(reports[1]).toEqual({ ok: true, reason: null, detail: 'answering again' })
  })

  it('reports a failed write at once, and clears it with the next good poll', () => {
    const { reports, health } = track(3)
    health.writeFailed('siren_relay: modbus_exception')
    health.succeeded()
    expect(reports.map((r) => r.reason)).toEqual(['write_failed', null])
  })
})
