import { describe, expect, it } from 'vitest'
import { RAISED_AT, sampleAlarm } from '../channels/testing/sampleEvents.js'
import { renderDigest } from './digest.js'
import { createGrouping } from './grouping.js'

const T0 = Date.parse(RAISED_AT)
const fire = (id: string, zone = 'hall') => sampleAlarm({ id, zone, deviceId: `smoke-${id}` })
const flood = (id: string) => sampleAlarm({ id, kind: 'flood', severity: 'major' })

describe('grouping alarms of one kind into one message, on an injected clock', () => {
  it('sends the first at once, holds the rest of the window, and returns them as one digest when it ends', () => {
    const grouping = createGrouping(30_000)
    expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
    expect(grouping.offer('staff', fire('a-2'), T0 + 5_000)).toBe(false)
    expect(grouping.offer('staff', fire('a-3'), T0 + 29_999)).toBe(false)
    expect(grouping.held()).toBe(2)
    expect(grouping.tick(T0 + 29_999)).toEqual([])
    const [digest, ...rest] = grouping.tick(T0 + 30_000)
    expect(rest).toEqual([])
    expect(digest).toMatchObject({ channel: 'staff', kind: 'fire', windowStartMs: T0, windowEndMs: T0 + 30_000 })
    expect(digest?.first.id).toBe('a-1')
    expect(digest?.alarms.map((a) => a.id)).toEqual(['a-2', 'a-3'])
    expect(grouping.tick(T0 + 60_000)).toEqual([])
    expect(grouping.held()).toBe(0)
  })

  it('a window that held nothing ends quietly, and the next alarm opens a new window and is sent at once', () => {
    const grouping = createGrouping(30_000)
    expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
    expect(grouping.tick(T0 + 30_000)).toEqual([])
    expect(grouping.offer('staff', fire('a-2'), T0 + 30_000)).toBe(true)
  })

  it('keys on channel and kind: another kind or another channel is not held', () => {
    const grouping = createGrouping(30_000)
    expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
    expect(grouping.offer('staff', flood('f-1'), T0 + 1)).toBe(true)
    expect(grouping.offer('duty', fire('a-2'), T0 + 2)).toBe(true)
    expect(grouping.offer('staff', fire('a-2'), T0 + 3)).toBe(false)
    expect(grouping.tick(T0 + 30_000).map((d) => [d.channel, d.kind, d.alarms.length])).toEqual([['staff', 'fire', 1]])
  })

  it('the same alarm offered twice in a window is held once', () => {
    const grouping = createGrouping(30_000)
    grouping.offer('staff', fire('a-1'), T0)
    grouping.offer('staff', fire('a-1'), T0 + 1)
    grouping.offer('staff', fire('a-2'), T0 + 2)
    grouping.offer('staff', fire('a-2'), T0 + 3)
    expect(grouping.tick(T0 + 30_000)[0]?.alarms.map((a) => a.id)).toEqual(['a-2'])
  })

  it('a window of 0 turns grouping off', () => {
    const grouping = createGrouping(0)
    expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
    expect(grouping.offer('staff', fire('a-2'), T0)).toBe(true)
    expect(grouping.tick(T0 + 1)).toEqual([])
  })

  it('the digest lists every held alarm, in the store locale', () => {
    const grouping = createGrouping(30_000)
    grouping.offer('staff', fire('a-1'), T0)
    grouping.offer('staff', fire('a-2', 'backroom'), T0 + 1)
    grouping.offer('staff', fire('a-3', 'entrance'), T0 + 2)
    const [digest] = grouping.tick(T0 + 30_000)
    if (digest === undefined) throw new Error('no digest')
    const en = renderDigest(digest, { locale: 'en', storeName: 'Test store', consoleUrl: 'https://c.test/' })
    expect(en.title).toContain('2 more alarms')
    expect(en.text).toContain('backroom · smoke-a-2')
    expect(en.text).toContain('entrance · smoke-a-3')
    expect(en.text).toContain('https://c.test/alarms')
    expect(en.confidential).toBe(false)
    expect(renderDigest(digest).title).toContain('又有 2 条新告警')
  })
})
