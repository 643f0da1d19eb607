import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fireEvacuationNotice } from '../../rules/checklists/fire.js'
import { floodClosureNotice } from '../../rules/checklists/flood.js'
import { powerCutGuidanceNotice } from '../../rules/checklists/powerGuidance.js'
import { tempDir } from '../../test/support/tempDir.js'
import { alarmEvent, robberyEvent, sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { Alarm } from '../core/alarm.js'
import { EventBus, type NoticeEvent } from '../core/events.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createEmergencySignage, EMERGENCY_NOTICE_KEY } from './emergencySignage.js'

const fire = (over: Partial<Alarm> = {}) => alarmEvent(over)
const flood = (over: Partial<Alarm> = {}) =>
  alarmEvent({ id: 'a-flood', key: 'flood:entrance', kind: 'flood', severity: 'major', latching: false, ...over })
const power = (over: Partial<Alarm> = {}) =>
  alarmEvent({ id: 'a-power', key: 'power_outage:ups-1', kind: 'power_outage', severity: 'major', ...over })
const closed = { state: 'closed' } as const

describe('emergency signage', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let bus: EventBus
  let noticeEvents: NoticeEvent[]

  function start(open: readonly Alarm[] = []) {
    const notices = createNoticeService({
      store: createNoticeStore(db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: bus,
      clock: { now: () => Date.parse('2026-11-23T10:00:00Z') },
      locale: 'zh-CN',
    })
    const signage = createEmergencySignage({
      events: bus,
      alarms: { list: () => open },
      notices,
      texts: { fire: fireEvacuationNotice, flood: floodClosureNotice, power: powerCutGuidanceNotice },
    })
    signage.start()
    return { notices, signage, shown: () => notices.byKey(EMERGENCY_NOTICE_KEY) }
  }

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    bus = new EventBus((err) => {
      throw err
    })
    noticeEvents = []
    bus.subscribe((e) => {
      if (e.type === 'notice') noticeEvents.push(e)
    })
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('a fire puts the evacuation notice up at once, for customers, flagged emergency', () => {
    const { shown } = start()
    bus.emit(fire())
    expect(shown()).toMatchObject({ audience: 'customer', emergency: true, texts: fireEvacuationNotice, zone: null })
    expect(noticeEvents.map((e) => e.action)).toEqual(['posted'])
  })

  it('stays while the fire is open — acknowledged, smoke gone — and is withdrawn when it is reset', () => {
    const { shown } = start()
    bus.emit(fire())
    bus.emit(fire({ state: 'active_acked' }))
    bus.emit(fire({ state: 'active_acked', conditionActive: false }))
    expect(shown()?.emergency).toBe(true)
    bus.emit(fire(closed))
    expect(shown()).toBeUndefined()
    expect(noticeEvents.map((e) => e.action)).toEqual(['posted', 'withdrawn'])
  })

  it('a robbery never posts, withdraws or changes anything', () => {
    const { shown } = start()
    bus.emit(robberyEvent())
    expect(noticeEvents).toEqual([])
    bus.emit(fire())
    bus.emit(robberyEvent())
    bus.emit({ ...robberyEvent(), alarm: { ...robberyEvent().alarm, state: 'closed' } })
    expect(shown()?.texts).toEqual(fireEvacuationNotice)
    expect(noticeEvents).toHaveLength(1)
  })

  it('a flood closes the area only once critical, and keeps it closed until the alarm closes', () => {
    const { shown } = start()
    bus.emit(flood())
    expect(shown()).toBeUndefined()
    bus.emit(flood({ severity: 'critical' }))
    expect(shown()?.texts).toEqual(floodClosureNotice)
    // the water drops below critical: the area stays closed until staff close the alarm
    bus.emit(flood({ severity: 'major' }))
    expect(shown()?.texts).toEqual(floodClosureNotice)
    bus.emit(flood({ severity: 'major', state: 'closed' }))
    expect(shown()).toBeUndefined()
  })

  it('a power cut shows safety guidance until its alarm closes', () => {
    const { shown } = start()
    bus.emit(power())
    expect(shown()?.texts).toEqual(powerCutGuidanceNotice)
    bus.emit(power({ state: 'cleared_unacked', conditionActive: false }))
    expect(shown()?.texts).toEqual(powerCutGuidanceNotice)
    bus.emit(power(closed))
    expect(shown()).toBeUndefined()
  })

  it('the most urgent open alarm speaks: fire over flood over power, and the next one takes over', () => {
    const { shown } = start()
    bus.emit(power())
    bus.emit(fire())
    bus.emit(flood({ severity: 'critical' }))
    expect(shown()?.texts).toEqual(fireEvacuationNotice)
    bus.emit(fire(closed))
    expect(shown()?.texts).toEqual(floodClosureNotice)
    bus.emit(flood({ state: 'closed' }))
    expect(shown()?.texts).toEqual(powerCutGuidanceNotice)
    // one notice all along, updated in place: signage never flashes back to the welcome screen
    expect(noticeEvents.map((e) => e.action)).toEqual(['posted', 'updated', 'updated', 'updated'])
  })

  it('two fires share one notice, which stays until both are reset', () => {
    const { shown } = start()
    bus.emit(fire())
    bus.emit(fire({ id: 'a-3', key: 'fire:heat-1' }))
    bus.emit(fire(closed))
    expect(shown()?.texts).toEqual(fireEvacuationNotice)
    bus.emit(fire({ id: 'a-3', key: 'fire:heat-1', state: 'closed' }))
    expect(shown()).toBeUndefined()
  })

  it('after a restart: an open fire keeps its notice; a notice whose alarm has gone is withdrawn', () => {
    start().notices.post(
      {
        type: 'notice',
        key: EMERGENCY_NOTICE_KEY,
        audience: 'customer',
        zone: null,
        deviceId: null,
        texts: fireEvacuationNotice,
        endsAt: null,
        emergency: true,
      },
      'test',
    )
    expect(start([sampleAlarm()]).shown()?.texts).toEqual(fireEvacuationNotice)
    expect(start([]).shown()).toBeUndefined()
  })
})
