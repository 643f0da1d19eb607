import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchParent } from './parentWatch.js'

describe('stopping with the parent process', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('says the parent is gone once, when the parent pid changes, and not before', () => {
    vi.useFakeTimers()
    let parent = 4242
    let gone = 0
    watchParent({ gone: () => gone++, ppid: () => parent, intervalMs: 100 })
    vi.advanceTimersByTime(1000)
    expect(gone).toBe(0)
    parent = 1 // reparented to init: the parent exited
    vi.advanceTimersByTime(100)
    expect(gone).toBe(1)
    parent = 77
    vi.advanceTimersByTime(1000)
    expect(gone).toBe(1)
  })

  it('stops watching when asked', () => {
    vi.useFakeTimers()
    let parent = 4242
    let gone = 0
    const stop = watchParent({ gone: () => gone++, ppid: () => parent, intervalMs: 100 })
    stop()
    parent = 1
    vi.advanceTimersByTime(1000)
    expect(gone).toBe(0)
  })

  it('counts a parent that died before the watch began, while the config loaded', () => {
    vi.useFakeTimers()
    let gone = 0
    // launched by 4242, which exited before the watch: the process is already init's
    watchParent({ gone: () => gone++, ppid: () => 1, parent: 4242, intervalMs: 100 })
    vi.advanceTimersByTime(100)
    expect(gone).toBe(1)
  })
})
