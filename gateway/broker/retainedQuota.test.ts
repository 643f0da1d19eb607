import { describe, expect, it } from 'vitest'
import { RetainedQuota } from './retainedQuota.js'

describe('the retained-message quota', () => {
  it('refuses the message beyond the count, and keeps the charge as it was', () => {
    const quota = new RetainedQuota({ maxMessages: 2, maxBytes: 1000 })
    expect(quota.admit('smoke-1', 't/1', 10)).toBe(true)
    expect(quota.admit('smoke-1', 't/2', 10)).toBe(true)
    expect(quota.admit('smoke-1', 't/3', 10)).toBe(false)
    expect(quota.usageOf('smoke-1')).toEqual({ messages: 2, bytes: 20 })
  })

  it('refuses the message beyond the bytes', () => {
    const quota = new RetainedQuota({ maxMessages: 10, maxBytes: 100 })
    expect(quota.admit('smoke-1', 't/1', 60)).toBe(true)
    expect(quota.admit('smoke-1', 't/2', 41)).toBe(false)
    expect(quota.admit('smoke-1', 't/2', 40)).toBe(true)
  })

  it('charges a replaced topic once, at its new size', () => {
    const quota = new RetainedQuota({ maxMessages: 1, maxBytes: 100 })
    expect(quota.admit('smoke-1', 't/1', 90)).toBe(true)
    expect(quota.admit('smoke-1', 't/1', 100)).toBe(true)
    expect(quota.usageOf('smoke-1')).toEqual({ messages: 1, bytes: 100 })
    expect(quota.admit('smoke-1', 't/1', 101)).toBe(false)
  })

  it('frees the share when an empty retained payload deletes the message', () => {
    const quota = new RetainedQuota({ maxMessages: 1, maxBytes: 100 })
    expect(quota.admit('smoke-1', 't/1', 50)).toBe(true)
    expect(quota.admit('smoke-1', 't/1', 0)).toBe(true)
    expect(quota.usageOf('smoke-1')).toEqual({ messages: 0, bytes: 0 })
    expect(quota.admit('smoke-1', 't/2', 100)).toBe(true)
  })

  it('charges each principal apart, and moves a topic to whoever retained it last', () => {
    const quota = new RetainedQuota({ maxMessages: 1, maxBytes: 100 })
    expect(quota.admit('smoke-1', 'shared', 50)).toBe(true)
    expect(quota.admit('bridge', 'other', 50)).toBe(true)
    expect(quota.admit('smoke-1', 'more', 10)).toBe(false)
    // the bridge's own quota is full, so it cannot take the shared topic over…
    expect(quota.admit('bridge', 'shared', 10)).toBe(false)
    expect(quota.admit('bridge', 'other', 0)).toBe(true)
    // …until it has room; then the topic is its, and smoke-1's share is free
    expect(quota.admit('bridge', 'shared', 10)).toBe(true)
    expect(quota.usageOf('smoke-1')).toEqual({ messages: 0, bytes: 0 })
    expect(quota.usageOf('bridge')).toEqual({ messages: 1, bytes: 10 })
  })
})
