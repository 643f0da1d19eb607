import { describe, expect, it } from 'vitest'
import { TICKETABLE_TYPES, targetBusinessDays } from './ticketTargets.js'

const STORE = { targetBusinessDays: 2, targetBusinessDaysByType: {} }

describe('repair targets per device type (docs/requirements.md#ticketable-facilities)', () => {
  it('terminals, queue machines, printers, signage screens, air conditioners and doors get tickets', () => {
    expect([...TICKETABLE_TYPES].sort()).toEqual(
      ['air_conditioner', 'door', 'printer', 'queue', 'signage_screen', 'terminal'].sort(),
    )
  })

  it("self-service devices follow the store's target, 2 business days unless it says otherwise", () => {
    for (const type of ['terminal', 'queue', 'printer'] as const) expect(targetBusinessDays(type, STORE)).toBe(2)
    expect(targetBusinessDays('terminal', { ...STORE, targetBusinessDays: 3 })).toBe(3)
  })

  it('air conditioning and signage screens ship 3 business days, doors 1', () => {
    expect(targetBusinessDays('air_conditioner', STORE)).toBe(3)
    expect(targetBusinessDays('signage_screen', STORE)).toBe(3)
    expect(targetBusinessDays('door', STORE)).toBe(1)
  })

  it("a store's own target for a type wins over the shipped one, and touches no other type", () => {
    const config = { ...STORE, targetBusinessDaysByType: { air_conditioner: 5, terminal: 1 } }
    expect(targetBusinessDays('air_conditioner', config)).toBe(5)
    expect(targetBusinessDays('terminal', config)).toBe(1)
    expect(targetBusinessDays('door', config)).toBe(1)
    expect(targetBusinessDays('queue', config)).toBe(2)
  })

  it("a ticket opened by hand has the store's target", () => {
    expect(targetBusinessDays(null, { ...STORE, targetBusinessDays: 4 })).toBe(4)
  })
})
