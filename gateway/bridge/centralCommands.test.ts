import { pino } from 'pino'
import { beforeEach, describe, expect, it } from 'vitest'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { type AlarmService, createAlarmService } from '../alarms/alarmService.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { EventBus } from '../core/events.js'
import type { RaiseIntent } from '../core/intent.js'
import type { Role } from '../core/roles.js'
import { sampleFire, sampleLeak } from '../engine/testing/sampleIntents.js'
import { createMetrics } from '../metrics.js'
import { createRecoveryEstimates } from '../networkFaults/recoveryEstimates.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { type CommandReply, createCentralCommands } from './centralCommands.js'

const P = 'storeguard/test-store'
const T0 = Date.parse('2026-11-23T10:00:00Z')
const WEEK_MS = 7 * 24 * 3600 * 1000
const MAX_SHELVE_SEC = 8 * 3600

const flood: RaiseIntent = sampleLeak
// Fire and robbery may never be shelved (docs/requirements.md#shelving); robbery is silent
const fire: RaiseIntent = { ...sampleFire, shelvable: false }
const robbery: RaiseIntent = { ...fire, key: 'robbery:counter', kind: 'robbery', silent: true }
const powerCut: RaiseIntent = { ...sampleLeak, key: 'power_outage:ups-1', kind: 'power_outage', deviceId: 'ups-1' }

describe('commands from the centre', () => {
  const journal = useTempJournal()
  let now: number
  let replies: { reply: CommandReply; topic: string }[]
  let alarms: AlarmService

  const startAlarms = () =>
    createAlarmService({
      log: pino({ level: 'silent' }),
      store: createAlarmStore(journal.db),
      publisher: { alarmChanged: () => {}, retainAlarm: () => {} },
      events: new EventBus((err) => {
        throw err
      }),
      clock: { now: () => now },
      locale: 'en',
      metrics: createMetrics(),
      annunciate: () => {},
    })
  const startCommands = (role: Role = 'staff') =>
    createCentralCommands({
      db: journal.db,
      topicPrefix: P,
      alarms,
      role,
      maxShelveSec: MAX_SHELVE_SEC,
      now: () => now,
      replied: (reply, topic) => replies.push({ reply, topic }),
    })
  const raise = (intent: RaiseIntent): string => {
    alarms.raise(intent, 'rule:test')
    return alarms.byKey(intent.key)?.id ?? ''
  }
  /** What the journal recorded for an alarm, beyond its raising. */
  const changes = (id: string) => alarms.history(id).map((h) => `${h.action} by ${h.by}`)
  const body = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields))

  beforeEach(() => {
    now = T0
    replies = []
    alarms = startAlarms()
  })

  it('acknowledges an alarm for the operator at the centre, with the note, and replies done', () => {
    const commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/ack`
    const reply = commands.handle(topic, body({ commandId: 'c-1', by: ' ops.li ', note: 'seen on camera' }))
    expect(reply).toEqual({
      commandId: 'c-1',
      action: 'ack',
      alarmId: id,
      result: 'done',
      error: null,
      at: new Date(T0).toISOString(),
    })
    expect(alarms.get(id)).toMatchObject({ state: 'active_acked', ackedBy: 'central:ops.li', note: 'seen on camera' })
    expect(replies).toEqual([{ reply, topic }])
  })

  it('refuses a command on another store’s topic and changes nothing', () => {
    const commands = startCommands('manager')
    const id = raise(flood)
    for (const topic of [
      `storeguard/other-store/commands/alarms/${id}/ack`,
      `storeguard/test-store2/commands/alarms/${id}/ack`,
      `${P}/alarms/${id}/ack`,
    ]) {
      expect(commands.handle(topic, body({ commandId: `c-${topic}`, by: 'mallory' })).result).toBe('refused')
    }
    expect(changes(id)).toEqual(['raised by rule:test'])
    expect(replies.map((r) => r.reply.result)).toEqual(['refused', 'refused', 'refused'])
  })

  it('calls a command on a wrong path or with an unknown action invalid', () => {
    const commands = startCommands()
    const id = raise(flood)
    const ack = body({ commandId: 'c-1', by: 'ops.li' })
    for (const path of [
      `alarms/${id}/reset`,
      `alarms/${id}`,
      `alarms/${id}/ack/now`,
      `tickets/${id}/ack`,
      'alarms//ack',
    ])
      expect(commands.handle(`${P}/commands/${path}`, ack), path).toMatchObject({ result: 'invalid', commandId: null })
    expect(changes(id)).toEqual(['raised by rule:test'])
  })

  it('calls a body that is not a JSON object with a usable commandId invalid, and does nothing', () => {
    const commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/ack`
    const bodies = [
      Buffer.from('not json'),
      Buffer.from('[{"commandId":"c-1","by":"ops.li"}]'),
      Buffer.from('"c-1"'),
      Buffer.from('null'),
      body({ by: 'ops.li' }),
      body({ commandId: '', by: 'ops.li' }),
      body({ commandId: 42, by: 'ops.li' }),
      body({ commandId: 'c'.repeat(129), by: 'ops.li' }),
      body({ commandId: 'c-big', by: 'ops.li', note: 'x'.repeat(4096) }),
    ]
    for (const b of bodies) expect(commands.handle(topic, b).result, b.toString().slice(0, 40)).toBe('invalid')
    expect(changes(id)).toEqual(['raised by rule:test'])
    // a commandId of the longest allowed length is fine
    expect(commands.handle(topic, body({ commandId: 'c'.repeat(128), by: 'ops.li' })).result).toBe('done')
  })

  it('needs the operator at the centre, by name', () => {
    const commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/ack`
    expect(commands.handle(topic, body({ commandId: 'c-1' }))).toMatchObject({ result: 'invalid', commandId: 'c-1' })
    expect(commands.handle(topic, body({ commandId: 'c-2', by: '   ' })).result).toBe('invalid')
    expect(alarms.get(id)?.state).toBe('active_unacked')
    // a malformed command is not remembered: mended and sent again under its id, it is done
    expect(commands.handle(topic, body({ commandId: 'c-1', by: 'ops.li' })).result).toBe('done')
    expect(alarms.get(id)?.ackedBy).toBe('central:ops.li')
  })

  it('answers not_found for an alarm that is not open', () => {
    const commands = startCommands()
    const reply = commands.handle(`${P}/commands/alarms/no-such-alarm/ack`, body({ commandId: 'c-1', by: 'ops.li' }))
    expect(reply).toMatchObject({ result: 'not_found', alarmId: 'no-such-alarm', action: 'ack' })
  })

  it('keeps the silent robbery alarm hidden from a centre below manager, and lets a manager acknowledge it', () => {
    const id = raise(robbery)
    const ack = (commandId: string) => body({ commandId, by: 'ops.li' })
    for (const role of ['staff', 'maintenance'] as const) {
      const reply = startCommands(role).handle(`${P}/commands/alarms/${id}/ack`, ack(`c-${role}`))
      expect(reply).toMatchObject({ result: 'not_found', error: `no open alarm ${id}` })
    }
    expect(alarms.get(id)?.state).toBe('active_unacked')
    expect(startCommands('manager').handle(`${P}/commands/alarms/${id}/ack`, ack('c-manager')).result).toBe('done')
    expect(alarms.get(id)?.ackedBy).toBe('central:ops.li')
  })

  it('shelves an alarm for durationSec with a reason', () => {
    const commands = startCommands()
    const id = raise(flood)
    const shelve = { commandId: 'c-1', by: 'ops.li', durationSec: 600, reason: ' UPS swap ' }
    expect(commands.handle(`${P}/commands/alarms/${id}/shelve`, body(shelve))).toMatchObject({
      result: 'done',
      action: 'shelve',
    })
    expect(alarms.get(id)).toMatchObject({
      shelvedBy: 'central:ops.li',
      shelveReason: 'UPS swap',
      shelvedUntil: new Date(T0 + 600_000).toISOString(),
    })
  })

  it('refuses a shelving without a duration in (0, maxShelveSec] or without a reason', () => {
    const commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/shelve`
    const invalid = [
      { reason: 'noisy' },
      { durationSec: 0, reason: 'noisy' },
      { durationSec: -60, reason: 'noisy' },
      { durationSec: '600', reason: 'noisy' },
      { durationSec: MAX_SHELVE_SEC + 1, reason: 'noisy' },
      { durationSec: 600 },
      { durationSec: 600, reason: '  ' },
    ]
    invalid.forEach((fields, i) => {
      const reply = commands.handle(topic, body({ commandId: `c-${i}`, by: 'ops.li', ...fields }))
      expect(reply.result, JSON.stringify(fields)).toBe('invalid')
    })
    expect(alarms.get(id)?.shelvedUntil).toBeNull()
    const longest = { commandId: 'c-max', by: 'ops.li', durationSec: MAX_SHELVE_SEC, reason: 'noisy' }
    expect(commands.handle(topic, body(longest)).result).toBe('done')
  })

  it('passes on the alarm service’s refusal with its code: a fire alarm may not be shelved', () => {
    const commands = startCommands('manager')
    const id = raise(fire)
    const shelve = { commandId: 'c-1', by: 'ops.li', durationSec: 600, reason: 'noisy' }
    expect(commands.handle(`${P}/commands/alarms/${id}/shelve`, body(shelve))).toMatchObject({
      result: 'rejected',
      error: 'shelve_not_allowed',
    })
    expect(alarms.get(id)?.shelvedUntil).toBeNull()
  })

  it('answers a repeated command id with the first reply and acts once, also after a restart', () => {
    let commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/ack`
    const first = commands.handle(topic, body({ commandId: 'c-1', by: 'ops.li' }))
    now += 5_000
    expect(commands.handle(topic, body({ commandId: 'c-1', by: 'ops.li' }))).toEqual(first)

    journal.reopen()
    alarms = startAlarms()
    commands = startCommands()
    now += 5_000
    expect(commands.handle(topic, body({ commandId: 'c-1', by: 'ops.wang' }))).toEqual(first)
    expect(changes(id)).toEqual(['raised by rule:test', 'acked by central:ops.li'])
    // a new command id is a new command: acknowledging twice is the alarm service's refusal
    expect(commands.handle(topic, body({ commandId: 'c-2', by: 'ops.li' }))).toMatchObject({
      result: 'rejected',
      error: 'alarm_transition_invalid',
    })
    expect(replies.map((r) => r.reply.commandId)).toEqual(['c-1', 'c-1', 'c-1', 'c-2'])
  })

  it('forgets command ids older than a week', () => {
    const commands = startCommands()
    const id = raise(flood)
    const topic = `${P}/commands/alarms/${id}/ack`
    const first = commands.handle(topic, body({ commandId: 'c-1', by: 'ops.li' }))
    now = T0 + 3_600_000
    commands.handle(topic, body({ commandId: 'c-2', by: 'ops.li' }))
    expect(commands.purge(T0 + WEEK_MS)).toBe(0)
    expect(commands.purge(T0 + WEEK_MS + 1)).toBe(1)
    now = T0 + WEEK_MS + 1
    // c-1 is a new command now (and finds the alarm already acknowledged); c-2 is still remembered
    expect(commands.handle(topic, body({ commandId: 'c-1', by: 'ops.li' }))).not.toEqual(first)
    expect(commands.handle(topic, body({ commandId: 'c-2', by: 'ops.li' })).at).toBe(
      new Date(T0 + 3_600_000).toISOString(),
    )
  })

  it('subscribes to this store’s alarm and network fault command topics only', () => {
    expect(startCommands().filters).toEqual([`${P}/commands/alarms/+/+`, `${P}/commands/network-faults/+/+`])
  })

  it('takes the centre’s recovery estimate for a power cut, for its customer notice, and for no other kind', () => {
    const notices = createNoticeService({
      store: createNoticeStore(journal.db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: new EventBus(() => {}),
      clock: { now: () => now },
      locale: 'en',
    })
    const estimates = createRecoveryEstimates({ alarms, notices })
    const commands = createCentralCommands({
      db: journal.db,
      topicPrefix: P,
      alarms,
      role: 'staff',
      maxShelveSec: MAX_SHELVE_SEC,
      estimates,
      now: () => now,
      replied: () => {},
    })
    const power = raise(powerCut)
    const leak = raise(flood)
    const estimate = (id: string, commandId: string, expectedRecoveryAt: unknown) =>
      commands.handle(`${P}/commands/alarms/${id}/estimate`, body({ commandId, by: 'noc.wang', expectedRecoveryAt }))

    expect(estimates.get(powerCut.key)).toBeNull()
    expect(estimate(power, 'e-1', '2026-11-23T12:00:00Z')).toMatchObject({ action: 'estimate', result: 'done' })
    expect(estimates.get(powerCut.key)).toBe(Date.parse('2026-11-23T12:00:00Z'))
    expect(estimate(leak, 'e-2', '2026-11-23T12:00:00Z')).toMatchObject({ result: 'rejected' })
    expect(estimate(power, 'e-3', 'noon')).toMatchObject({
      result: 'invalid',
      error: expect.stringMatching(/ISO 8601/),
    })
    expect(estimate(power, 'e-4', '2026-11-22T12:00:00Z')).toMatchObject({ result: 'invalid' })
    // a misspelt or missing key is refused, never read as "take the estimate back"
    expect(estimate(power, 'e-4b', undefined)).toMatchObject({
      result: 'invalid',
      error: expect.stringMatching(/required/),
    })
    expect(estimate('alarm-nope', 'e-5', null)).toMatchObject({ result: 'not_found' })
    expect(estimates.get(powerCut.key)).toBe(Date.parse('2026-11-23T12:00:00Z'))
    expect(estimate(power, 'e-6', null)).toMatchObject({ result: 'done' })
    expect(estimates.get(powerCut.key)).toBeNull()

    // an estimate belongs to its fault: the next power cut of the same UPS starts without one
    estimate(power, 'e-7', '2026-11-23T12:00:00Z')
    alarms.clear(powerCut.key, 'rule:test')
    alarms.ack(power, 'stan', null)
    raise(powerCut)
    expect(estimates.get(powerCut.key)).toBeNull()
  })
})
