import { describe, expect, it } from 'vitest'
import { ConnectionBackoff } from './connectionBackoff.js'

describe('ConnectionBackoff', () => {
  it('refuses the same client id for the backoff time after a forbidden publish, then lets it in', () => {
    const b = new ConnectionBackoff(30)
    b.recordForbidden('dev-a', 'smoke-1', 1_000)
    expect(b.isRefused('dev-a', 'smoke-1', 1_000)).toBe(true)
    expect(b.isRefused('dev-a', 'smoke-1', 30_999)).toBe(true)
    expect(b.isRefused('dev-a', 'smoke-1', 31_000)).toBe(false)
  })

  it('catches a device that changes its client id by its username', () => {
    const b = new ConnectionBackoff(30)
    b.recordForbidden('dev-a', 'smoke-1', 0)
    expect(b.isRefused('dev-b', 'smoke-1', 1_000)).toBe(true)
    expect(b.isRefused('dev-b', 'heat-1', 1_000)).toBe(false)
  })

  it('catches an anonymous client by its client id', () => {
    const b = new ConnectionBackoff(30)
    b.recordForbidden('anon-1', undefined, 0)
    expect(b.isRefused('anon-1', undefined, 1_000)).toBe(true)
    expect(b.isRefused('anon-2', undefined, 1_000)).toBe(false)
  })

  it('does not confuse a client id with a username of the same text', () => {
    const b = new ConnectionBackoff(30)
    b.recordForbidden('smoke-1', undefined, 0)
    expect(b.isRefused('other', 'smoke-1', 1_000)).toBe(false)
  })

  it("does not let a client get someone else's client id locked out", () => {
    const b = new ConnectionBackoff(30)
    b.recordForbidden('smoke-1-client', undefined, 0) // anonymous, borrowing the id
    b.recordForbidden('console-main', 'smoke-1', 0) // a device, borrowing the console's id
    expect(b.isRefused('smoke-1-client', 'smoke-1', 1_000)).toBe(true) // smoke-1 itself is caught by username
    expect(b.isRefused('console-main', 'console', 1_000)).toBe(false)
    expect(b.isRefused('smoke-1-client', 'heat-1', 1_000)).toBe(false)
  })

  it('refuses nobody when the backoff is 0 seconds', () => {
    const b = new ConnectionBackoff(0)
    b.recordForbidden('dev-a', 'smoke-1', 0)
    expect(b.isRefused('dev-a', 'smoke-1', 0)).toBe(false)
  })

  it('keeps memory bounded when clients invent new ids', () => {
    const b = new ConnectionBackoff(30, 100)
    for (let i = 0; i < 1_000; i++) b.recordForbidden(`anon-${i}`, undefined, i)
    expect(b.size).toBeLessThanOrEqual(100)
    expect(b.isRefused('anon-999', undefined, 1_000)).toBe(true)
  })
})
