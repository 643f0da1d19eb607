import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createOutboxStore, type NewNotification, type OutboxStore } from './outboxStore.js'

const T0 = Date.parse('2026-11-23T10:00:00Z')
const HOUR = 3_600_000

function note(channel: string, dedupKey: string, text = dedupKey): NewNotification {
  return { channel, dedupKey, payload: { msgtype: 'text', text: { content: text } }, expiresAt: T0 + HOUR }
}

describe('outbox store', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let store: OutboxStore

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    store = createOutboxStore(db, { dedupWindowMs: 10 * 60_000 })
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('keeps an enqueued notification, due at once, across a reopen of the database', () => {
    const { notification } = store.enqueue(note('dingtalk', 'fire:hall'), T0)
    db.close()
    db = openDatabase(dir.path)
    store = createOutboxStore(db)
    expect(store.get(notification.id)).toEqual({
      id: notification.id,
      channel: 'dingtalk',
      dedupKey: 'fire:hall',
      payload: { msgtype: 'text', text: { content: 'fire:hall' } },
      createdAt: T0,
      expiresAt: T0 + HOUR,
      attempts: 0,
      nextAttemptAt: T0,
      status: 'pending',
      lastError: null,
      finishedAt: null,
    })
  })

  it('offers only the oldest pending notification of each channel, oldest channel first', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    const b1 = store.enqueue(note('b', 'b1'), T0 + 1).notification
    store.enqueue(note('a', 'a2'), T0 + 2)
    expect(store.due(T0 + 10, 10).map((n) => n.id)).toEqual([a1.id, b1.id])
    expect(store.due(T0 + 10, 1).map((n) => n.id)).toEqual([a1.id])
  })

  it('holds a rescheduled notification, and the ones behind it, until it is due again', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    store.enqueue(note('a', 'a2'), T0)
    const held = store.reschedule(a1.id, T0 + 5_000, 'HTTP 503')
    expect(held).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 5_000, lastError: 'HTTP 503', status: 'pending' })
    expect(store.due(T0 + 4_999, 10)).toEqual([])
    expect(store.due(T0 + 5_000, 10).map((n) => n.dedupKey)).toEqual(['a1'])
    expect(store.head('a')?.id).toBe(a1.id)
  })

  it('counts the delivering attempt and moves the queue on once delivered', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    store.enqueue(note('a', 'a2'), T0)
    store.reschedule(a1.id, T0, 'refused')
    expect(store.markDelivered(a1.id, T0 + 7)).toMatchObject({ status: 'delivered', attempts: 2, finishedAt: T0 + 7 })
    expect(store.head('a')?.dedupKey).toBe('a2')
    expect(store.markDelivered(a1.id, T0 + 8)).toBeUndefined()
  })

  it('marks a refused notification failed with its error, and never offers it again', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    expect(store.markFailed(a1.id, 'HTTP 400', T0 + 1)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'HTTP 400',
    })
    expect(store.due(T0 + HOUR, 10)).toEqual([])
  })

  it('does not enqueue the same channel and key twice while one is pending', () => {
    const first = store.enqueue(note('a', 'fire:hall'), T0)
    const again = store.enqueue(note('a', 'fire:hall', 'different text'), T0 + 60 * 60_000)
    expect(again).toEqual({ notification: first.notification, duplicate: true })
    expect(store.counts().pending).toBe(1)
  })

  it('does not enqueue a repeat of a notification delivered within the window, but does after it', () => {
    const first = store.enqueue(note('a', 'fire:hall'), T0).notification
    store.markDelivered(first.id, T0 + 1_000)
    expect(store.enqueue(note('a', 'fire:hall'), T0 + 1_000 + 10 * 60_000).duplicate).toBe(true)
    expect(store.enqueue(note('a', 'fire:hall'), T0 + 1_001 + 10 * 60_000).duplicate).toBe(false)
  })

  it('lets the same key go to another channel, and after a failure or expiry', () => {
    const first = store.enqueue(note('a', 'fire:hall'), T0).notification
    expect(store.enqueue(note('b', 'fire:hall'), T0).duplicate).toBe(false)
    store.markFailed(first.id, 'HTTP 400', T0)
    expect(store.enqueue(note('a', 'fire:hall'), T0).duplicate).toBe(false)
  })

  it('expires pending notifications past their time, except those in flight', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    const b1 = store.enqueue(note('b', 'b1'), T0).notification
    store.enqueue({ ...note('c', 'c1'), expiresAt: T0 + 2 * HOUR }, T0)
    const expired = store.expire(T0 + HOUR, new Set([b1.id]))
    expect(expired.map((n) => [n.id, n.status, n.finishedAt])).toEqual([[a1.id, 'expired', T0 + HOUR]])
    expect(store.counts()).toEqual({ pending: 2, delivered: 0, expired: 1, failed: 0 })
  })

  it('lists notifications newest first with their attempts, filtered by status', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    store.enqueue(note('a', 'a2'), T0 + 1)
    store.reschedule(a1.id, T0 + 10, 'timeout')
    expect(store.list().map((n) => n.dedupKey)).toEqual(['a2', 'a1'])
    expect(store.list({ limit: 1 }).map((n) => n.dedupKey)).toEqual(['a2'])
    store.markDelivered(a1.id, T0 + 20)
    expect(store.list({ status: 'delivered' })).toMatchObject([{ dedupKey: 'a1', attempts: 2, lastError: 'timeout' }])
  })

  it('reports when the oldest pending notification was created', () => {
    expect(store.oldestPendingAt()).toBeNull()
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    store.enqueue(note('b', 'b1'), T0 + 500)
    expect(store.oldestPendingAt()).toBe(T0)
    store.markDelivered(a1.id, T0 + 600)
    expect(store.oldestPendingAt()).toBe(T0 + 500)
  })

  it('purges finished notifications older than the retention, never pending ones', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    store.enqueue(note('b', 'b1'), T0)
    store.markDelivered(a1.id, T0 + 1)
    expect(store.purge(T0 + 1)).toBe(0)
    expect(store.purge(T0 + 2)).toBe(1)
    expect(store.counts()).toEqual({ pending: 1, delivered: 0, expired: 0, failed: 0 })
  })

  it('keeps a long error message short', () => {
    const a1 = store.enqueue(note('a', 'a1'), T0).notification
    expect(store.reschedule(a1.id, T0, 'x'.repeat(5_000))?.lastError).toHaveLength(500)
  })
})
