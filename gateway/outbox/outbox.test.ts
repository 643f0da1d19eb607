import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { isStoreGuardError } from '../core/errors.js'
import { createLogger } from '../log.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import type { DeliveryChannel, Notification } from './notification.js'
import { createOutbox, type Outbox, type OutboxOptions } from './outbox.js'
import { jsonPostChannel, type Receiver, startReceiver } from './testing/jsonReceiver.js'
import { ROBOT_RATE_LIMITS } from './tokenBucket.js'

const T0 = Date.parse('2026-11-23T10:00:00Z')
const MINUTE = 60_000

const text = (content: string): unknown => ({ msgtype: 'text', text: { content } })
const contents = (list: readonly { body: unknown }[]) =>
  list.map((entry) => (entry.body as { text: { content: string } }).text.content)

describe('durable outbox', () => {
  let dir: ReturnType<typeof tempDir>
  let dbs: SqliteDatabase[]
  let receiver: Receiver
  let now: number
  let logLines: { level: number; msg: string }[]
  let delivered: Notification[]
  let failed: Notification[]
  let outboxes: Outbox[]

  function open(overrides: Partial<OutboxOptions> = {}): Outbox {
    const db = openDatabase(dir.path)
    dbs.push(db)
    const channels = new Map<string, DeliveryChannel>()
    for (const id of ['dingtalk', 'webhook'])
      channels.set(
        id,
        jsonPostChannel(id, () => `${receiver.url}/${id}`),
      )
    const outbox = createOutbox({
      db,
      channels,
      clock: { now: () => now },
      log: createLogger('debug', { write: (line: string) => logLines.push(JSON.parse(line)) }),
      timeoutMs: 2_000,
      backoff: { random: () => 0.5 },
      onDelivered: (n) => delivered.push(n),
      onFailed: (n) => failed.push(n),
      ...overrides,
    })
    outboxes.push(outbox)
    return outbox
  }

  /** Moves the injected clock on and pumps, `times` times. */
  async function pumpEvery(outbox: Outbox, stepMs: number, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      now += stepMs
      await outbox.pump()
    }
  }

  beforeEach(async () => {
    dir = tempDir()
    dbs = []
    outboxes = []
    now = T0
    logLines = []
    delivered = []
    failed = []
    receiver = await startReceiver()
    receiver.clock = () => now
  })
  afterEach(async () => {
    await Promise.all(outboxes.map((outbox) => outbox.stop()))
    await receiver.down().catch(() => undefined)
    for (const db of dbs) db.close()
    dir.remove()
  })

  it('writes a notification to disk before its channel is called', async () => {
    const seenOnDisk: (string | undefined)[] = []
    const db = openDatabase(dir.path)
    dbs.push(db)
    const probe: DeliveryChannel = {
      id: 'webhook',
      async deliver() {
        // Another connection, as a restarted process would see the file.
        const other = openDatabase(dir.path)
        const row = other.prepare<[], { status: string }>('SELECT status FROM outbox').get()
        other.close()
        seenOnDisk.push(row?.status)
      },
    }
    const outbox = open({ db, channels: new Map([['webhook', probe]]) })
    outbox.send({ channel: 'webhook', dedupKey: 'fire:hall', payload: text('火警') })
    await outbox.pump()
    expect(seenOnDisk).toEqual(['pending'])
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 1 })
  })

  it('delivers exactly once to a receiver that was down for a while and came back', async () => {
    await receiver.down()
    const outbox = open()
    const id = outbox.send({ channel: 'dingtalk', dedupKey: 'fire:hall', payload: text('火警 hall') })
    await outbox.pump()
    await pumpEvery(outbox, MINUTE, 5)
    expect(outbox.get(id)).toMatchObject({
      status: 'pending',
      attempts: 6,
      lastError: expect.stringContaining('unreachable'),
    })

    await receiver.up()
    await pumpEvery(outbox, 10 * MINUTE, 3)
    expect(contents(receiver.accepted)).toEqual(['火警 hall'])
    expect(receiver.hits).toHaveLength(1)
    expect(outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 7 })
    expect(delivered.map((n) => n.id)).toEqual([id])
  })

  it('slows down after a 429 with Retry-After, and delivers later without losing anything', async () => {
    receiver.reply = (_body, hit) => (hit === 1 ? { status: 429, headers: { 'retry-after': '30' } } : { status: 200 })
    const outbox = open()
    const first = outbox.send({ channel: 'dingtalk', dedupKey: 'a', payload: text('first') })
    outbox.send({ channel: 'dingtalk', dedupKey: 'b', payload: text('second') })
    await outbox.pump()
    expect(outbox.get(first)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 30_000 })

    await pumpEvery(outbox, 10_000, 2) // t = 20 s: not yet, and the second waits behind the first
    expect(receiver.hits).toHaveLength(1)
    await pumpEvery(outbox, 10_000, 1) // t = 30 s
    expect(contents(receiver.accepted)).toEqual(['first', 'second'])
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 2, failed: 0 })
  })

  it("honours a robot's rate-limit error code by retrying after the time it implies", async () => {
    receiver.reply = (_body, hit) =>
      hit === 1 ? { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } } : { status: 200 }
    const outbox = open()
    const id = outbox.send({ channel: 'dingtalk', dedupKey: 'a', payload: text('flood entrance') })
    await outbox.pump()
    await pumpEvery(outbox, 10_000, 5)
    expect(receiver.hits).toHaveLength(1)
    await pumpEvery(outbox, 10_000, 1)
    expect(contents(receiver.accepted)).toEqual(['flood entrance'])
    expect(outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'errcode 130101' })
  })

  it('marks a notification the receiver refuses with 400 as failed, logs it, and never retries it', async () => {
    receiver.reply = (body) => (contents([{ body }])[0] === 'malformed' ? { status: 400 } : { status: 200 })
    const outbox = open()
    const bad = outbox.send({ channel: 'dingtalk', dedupKey: 'a', payload: text('malformed') })
    outbox.send({ channel: 'dingtalk', dedupKey: 'b', payload: text('fine') })
    await outbox.pump()
    await pumpEvery(outbox, 10 * MINUTE, 6)

    expect(contents(receiver.hits)).toEqual(['malformed', 'fine'])
    expect(outbox.get(bad)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400' })
    expect(failed.map((n) => [n.id, n.status])).toEqual([[bad, 'failed']])
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'notification refused by its channel, not retried' }),
    )
  })

  it('delivers a burst of 50 to a DingTalk robot, never more than 20 in any minute', async () => {
    const outbox = open({ limits: { dingtalk: ROBOT_RATE_LIMITS.dingtalk } })
    const sent = Array.from({ length: 50 }, (_, i) => `alarm ${i + 1}`)
    for (const content of sent) outbox.send({ channel: 'dingtalk', dedupKey: content, payload: text(content) })
    await outbox.pump()
    for (let second = 0; receiver.accepted.length < 50 && second < 600; second++) await pumpEvery(outbox, 1_000, 1)

    expect(contents(receiver.accepted)).toEqual(sent)
    expect(receiver.hits).toHaveLength(50)
    const times = receiver.accepted.map((entry) => entry.at)
    const busiestMinute = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t <= start + MINUTE).length),
    )
    expect(busiestMinute).toBe(20)
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 50 })
  })

  it('lets a new outbox over the same database deliver what a killed one left pending, and nothing twice', async () => {
    const killed = open()
    killed.send({ channel: 'dingtalk', dedupKey: 'a', payload: text('before the cut') })
    await killed.pump()
    await receiver.down()
    killed.send({ channel: 'dingtalk', dedupKey: 'b', payload: text('during the cut 1') })
    killed.send({ channel: 'webhook', dedupKey: 'c', payload: text('during the cut 2') })
    await killed.pump() // both fail and are rescheduled: mid-retry when the process "dies"
    outboxes.splice(outboxes.indexOf(killed), 1) // kill -9: no stop(), no close; the file is all that is left

    await receiver.up()
    now += 10 * MINUTE
    const restarted = open({ pollMs: 10 })
    restarted.start()
    await vi.waitFor(() => expect(restarted.stats()).toMatchObject({ pending: 0, delivered: 3 }))
    expect(contents(receiver.accepted).sort()).toEqual(['before the cut', 'during the cut 1', 'during the cut 2'])
  })

  it('expires a notification it could not deliver within maxAgeMs, and reports it', async () => {
    await receiver.down()
    const outbox = open({ maxAgeMs: 30 * MINUTE })
    const id = outbox.send({ channel: 'webhook', dedupKey: 'a', payload: text('stale') })
    // Queued behind the first, with its own shorter life: it expires without ever reaching the head.
    const behind = outbox.send({
      channel: 'webhook',
      dedupKey: 'b',
      payload: text('short-lived'),
      maxAgeMs: 5 * MINUTE,
    })
    await pumpEvery(outbox, 10 * MINUTE, 2)
    expect(outbox.get(behind)).toMatchObject({ status: 'expired', attempts: 0, finishedAt: T0 + 10 * MINUTE })
    expect(outbox.stats()).toMatchObject({ pending: 1, oldestPendingAgeMs: 20 * MINUTE })
    await pumpEvery(outbox, 10 * MINUTE, 1)

    expect(outbox.get(id)).toMatchObject({ status: 'expired', finishedAt: T0 + 30 * MINUTE })
    expect(failed.map((n) => [n.id, n.status])).toEqual([
      [behind, 'expired'],
      [id, 'expired'],
    ])
    await receiver.up()
    await pumpEvery(outbox, MINUTE, 2)
    expect(receiver.accepted).toEqual([])
    expect(outbox.stats()).toMatchObject({ pending: 0, expired: 2, oldestPendingAgeMs: null })
  })

  it('sends an identical notification once while pending or recently delivered, and again after the window', async () => {
    const outbox = open({ dedupWindowMs: 5 * MINUTE })
    const notification = { channel: 'dingtalk', dedupKey: 'fire:hall:raised', payload: text('火警') }
    const first = outbox.send(notification)
    expect(outbox.send(notification)).toBe(first)
    await outbox.pump()
    now += MINUTE
    expect(outbox.send(notification)).toBe(first)
    await outbox.pump()
    expect(receiver.accepted).toHaveLength(1)

    now += 5 * MINUTE
    expect(outbox.send(notification)).not.toBe(first)
    await outbox.pump()
    expect(receiver.accepted).toHaveLength(2)
  })

  it('keeps one delivery in flight per channel, in order, while channels go in parallel', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 20 })
    const outbox = open()
    for (let i = 1; i <= 5; i++) {
      for (const channel of ['dingtalk', 'webhook']) {
        outbox.send({ channel, dedupKey: `${i}`, payload: text(`${channel} ${i}`) })
      }
    }
    await outbox.pump()
    const onPath = (path: string) => contents(receiver.accepted.filter((entry) => entry.path === path))
    expect(onPath('/dingtalk')).toEqual([1, 2, 3, 4, 5].map((i) => `dingtalk ${i}`))
    expect(onPath('/webhook')).toEqual([1, 2, 3, 4, 5].map((i) => `webhook ${i}`))
    expect(receiver.concurrent.max).toEqual(
      new Map([
        ['/dingtalk', 1],
        ['/webhook', 1],
      ]),
    )
    expect(receiver.concurrent.maxTotal).toBe(2)
  })

  it('gives up an attempt that hangs after timeoutMs and retries it', async () => {
    receiver.reply = (_body, hit) => (hit === 1 ? { status: 200, hang: true } : { status: 200 })
    const outbox = open({ timeoutMs: 200 })
    const id = outbox.send({ channel: 'webhook', dedupKey: 'a', payload: text('slow') })
    await outbox.pump()
    expect(outbox.get(id)).toMatchObject({ status: 'pending', attempts: 1 })
    await pumpEvery(outbox, MINUTE, 1)
    expect(outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 2 })
  })

  it('does not let a channel that ignores its abort signal hold up its queue', async () => {
    let calls = 0
    const stubborn: DeliveryChannel = {
      id: 'webhook',
      deliver: () => (++calls === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
    }
    const outbox = open({ timeoutMs: 100, channels: new Map([['webhook', stubborn]]) })
    outbox.send({ channel: 'webhook', dedupKey: 'a', payload: text('a') })
    outbox.send({ channel: 'webhook', dedupKey: 'b', payload: text('b') })
    await outbox.pump()
    await pumpEvery(outbox, MINUTE, 1)
    expect(calls).toBe(3)
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 2 })
  })

  it('waits for the delivery in flight when stopped, and sends nothing after', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 100 })
    const outbox = open()
    const id = outbox.send({ channel: 'webhook', dedupKey: 'a', payload: text('in flight') })
    // in flight once the receiver holds the request (it answers 100 ms later), not after some guessed time
    await vi.waitFor(() => expect(receiver.hits).toHaveLength(1), { timeout: 10_000 })
    await outbox.stop()
    expect(outbox.get(id)?.status).toBe('delivered')

    const later = outbox.send({ channel: 'webhook', dedupKey: 'b', payload: text('kept for the next run') })
    await outbox.pump()
    expect(outbox.get(later)?.status).toBe('pending')
    expect(receiver.hits).toHaveLength(1)
  })

  it('keeps delivering when a delivery hook throws', async () => {
    const outbox = open({
      onDelivered: () => {
        throw new Error('listener bug')
      },
    })
    outbox.send({ channel: 'webhook', dedupKey: 'a', payload: text('a') })
    outbox.send({ channel: 'webhook', dedupKey: 'b', payload: text('b') })
    await outbox.pump()
    expect(contents(receiver.accepted)).toEqual(['a', 'b'])
    expect(logLines.filter((line) => line.msg === 'outbox hook threw')).toHaveLength(2)
  })

  it('refuses a notification for a channel that is not configured', () => {
    const outbox = open()
    let thrown: unknown
    try {
      outbox.send({ channel: 'pager', dedupKey: 'a', payload: text('a') })
    } catch (err) {
      thrown = err
    }
    expect(isStoreGuardError(thrown, 'config_invalid')).toBe(true)
    expect(outbox.stats().pending).toBe(0)
  })
})
