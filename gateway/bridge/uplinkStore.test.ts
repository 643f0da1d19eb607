import { describe, expect, it } from 'vitest'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { createUplinkStore, type NewUplinkMessage, type UplinkKind, type UplinkStore } from './uplinkStore.js'

const T0 = Date.parse('2026-11-23T10:00:00Z')
const P = 'storeguard/test-store'

let clock = T0
function message(kind: UplinkKind, topic: string, body: string, retain = kind === 'state'): NewUplinkMessage {
  return { topic: `${P}/${topic}`, payload: Buffer.from(body), retain, kind, createdAt: clock++ }
}
const state = (id: string, body = id) => message('state', `alarms/${id}`, body)
const event = (body: string) => message('event', 'events', body)
const telemetry = (deviceId: string, body = deviceId) => message('telemetry', `telemetry/${deviceId}`, body)

/** Every queued payload, oldest first. */
const queued = (store: UplinkStore) => store.after(0, 1000).map((m) => m.payload.toString())
const seqs = (store: UplinkStore) => store.after(0, 1000).map((m) => m.seq)

describe('the durable queue for the centre', () => {
  const journal = useTempJournal()
  const open = () => createUplinkStore(journal.db)

  it('gives messages back in the order they were appended, from any point, and forgets removed ones', () => {
    const store = open()
    store.append([state('a-1'), event('e-1')], 0)
    store.append([telemetry('t-1'), event('e-2')], 0)
    const all = store.after(0, 10)
    expect(all.map((m) => m.payload.toString())).toEqual(['a-1', 'e-1', 't-1', 'e-2'])
    expect(all.map((m) => [m.topic, m.kind, m.retain])).toEqual([
      [`${P}/alarms/a-1`, 'state', true],
      [`${P}/events`, 'event', false],
      [`${P}/telemetry/t-1`, 'telemetry', false],
      [`${P}/events`, 'event', false],
    ])
    const [first, second, third] = all.map((m) => m.seq)
    expect(store.after(first ?? 0, 2).map((m) => m.payload.toString())).toEqual(['e-1', 't-1'])
    store.remove([first ?? 0, third ?? 0])
    expect(queued(store)).toEqual(['e-1', 'e-2'])
    expect(store.after(second ?? 0, 10).map((m) => m.payload.toString())).toEqual(['e-2'])
  })

  it('keeps only the latest unsent value of a retained topic, also within one batch', () => {
    const store = open()
    store.append([state('a-1', 'raised'), event('raised a-1'), state('a-2', 'raised a-2')], 0)
    store.append([state('a-1', 'acked'), event('acked a-1'), state('a-1', 'reset')], 0)
    expect(queued(store)).toEqual(['raised a-1', 'raised a-2', 'acked a-1', 'reset'])
    expect(store.size()).toBe(4)
  })

  it('keeps a retained value that is already with the broker, and queues the newer one behind it', () => {
    const store = open()
    store.append([state('a-1', 'raised'), event('raised a-1')], 0)
    const [sent] = seqs(store)
    store.append([state('a-1', 'acked')], sent ?? 0)
    expect(queued(store)).toEqual(['raised', 'raised a-1', 'acked'])
    // one that was sent and one that was not: only the unsent one is replaced
    store.append([state('a-1', 'reset')], sent ?? 0)
    expect(queued(store)).toEqual(['raised', 'raised a-1', 'reset'])
    expect(store.size()).toBe(3)
  })

  it('does not replace a non-retained message on the same topic', () => {
    const store = open()
    store.append([message('event', 'alarms/a-1', 'one', false), message('event', 'alarms/a-1', 'two', false)], 0)
    expect(queued(store)).toEqual(['one', 'two'])
  })

  it('drops the oldest telemetry first, then the oldest events, and says how many', () => {
    const store = open()
    store.append(
      [event('e-1'), state('a-1'), telemetry('t-1'), event('e-2'), telemetry('t-2'), state('a-2'), event('e-3')],
      0,
    )
    const [sent] = seqs(store)
    expect(store.trim(7, sent ?? 0)).toBe(0)
    expect(store.trim(5, sent ?? 0)).toBe(2)
    expect(queued(store)).toEqual(['e-1', 'a-1', 'e-2', 'a-2', 'e-3'])
    // e-1 is with the broker: e-2 is the oldest event it may drop
    expect(store.trim(4, sent ?? 0)).toBe(1)
    expect(queued(store)).toEqual(['e-1', 'a-1', 'a-2', 'e-3'])
    expect(store.size()).toBe(4)
  })

  it('never drops retained state, even past the bound: a lost removal would leave an alarm open at the centre', () => {
    const store = open()
    store.append([state('a-1'), event('e-1'), state('a-2'), telemetry('t-1'), state('a-3')], 0)
    expect(store.trim(2, 0)).toBe(2)
    expect(queued(store)).toEqual(['a-1', 'a-2', 'a-3'])
    expect(store.size()).toBe(3)
  })

  it('never drops what was handed to the broker, even past the bound', () => {
    const store = open()
    store.append([event('e-1'), telemetry('t-1'), event('e-2'), telemetry('t-2')], 0)
    const sentUpTo = seqs(store)[2] ?? 0
    expect(store.trim(1, sentUpTo)).toBe(1)
    expect(queued(store)).toEqual(['e-1', 't-1', 'e-2'])
    expect(store.size()).toBe(3)
  })

  it('counts its messages and knows the oldest, also after a restart on the same file', () => {
    let store = open()
    expect(store.size()).toBe(0)
    expect(store.oldestAt()).toBeNull()
    clock = T0
    store.append([event('e-1'), event('e-2'), state('a-1')], 0)
    expect(store.size()).toBe(3)
    expect(store.oldestAt()).toBe(T0)
    store.remove([seqs(store)[0] ?? 0])
    expect(store.size()).toBe(2)
    expect(store.oldestAt()).toBe(T0 + 1)

    journal.reopen()
    store = open()
    expect(store.size()).toBe(2)
    expect(store.oldestAt()).toBe(T0 + 1)
    expect(queued(store)).toEqual(['e-2', 'a-1'])
    // numbers are never reused after a restart: the cursor of a sender stays valid
    const before = Math.max(...seqs(store))
    store.append([event('e-3')], 0)
    expect(Math.max(...seqs(store))).toBeGreaterThan(before)
    store.remove(seqs(store))
    expect(store.size()).toBe(0)
    expect(store.oldestAt()).toBeNull()
  })

  it('does not count a removal twice', () => {
    const store = open()
    store.append([event('e-1'), event('e-2')], 0)
    const [first] = seqs(store)
    store.remove([first ?? 0])
    store.remove([first ?? 0])
    expect(store.size()).toBe(1)
  })
})
