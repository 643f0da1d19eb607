import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { EventBus, type NoticeEvent } from '../core/events.js'
import type { NoticeIntent } from '../core/intent.js'
import type { Notice } from '../core/notice.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createNoticeService } from './noticeService.js'
import { createNoticeStore } from './noticeStore.js'

const outOfOrder: NoticeIntent = {
  type: 'notice',
  key: 'terminal_fault:terminal-1',
  audience: 'customer',
  zone: 'self-service',
  deviceId: 'terminal-1',
  texts: { 'zh-CN': '抱歉，本机正在维修中', en: 'Sorry, this machine is being repaired' },
  endsAt: null,
}

describe('notice service', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let now: number
  let events: NoticeEvent[]
  let retained: Notice[]

  function start() {
    const bus = new EventBus((err) => {
      throw err
    })
    bus.subscribe((e) => {
      if (e.type === 'notice') events.push(e)
    })
    return createNoticeService({
      store: createNoticeStore(db),
      publisher: { noticeChanged: () => {}, retainNotice: (n) => retained.push(n) },
      events: bus,
      clock: { now: () => now },
      locale: 'zh-CN',
    })
  }

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    now = Date.parse('2026-11-23T10:00:00Z')
    events = []
    retained = []
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('posts one notice per situation: a repeat changes nothing, new text updates it', () => {
    const notices = start()
    notices.post(outOfOrder, 'rule:terminalFault')
    notices.post(outOfOrder, 'rule:terminalFault')
    notices.post({ ...outOfOrder, texts: { 'zh-CN': '本机暂停服务', en: 'Out of service' } }, 'rule:terminalFault')
    expect(notices.list()).toHaveLength(1)
    expect(notices.list()[0]).toMatchObject({ text: '本机暂停服务', audience: 'customer', deviceId: 'terminal-1' })
    expect(events.map((e) => e.action)).toEqual(['posted', 'updated'])
  })

  it('withdraws a notice, and lists by audience', () => {
    const notices = start()
    notices.post(outOfOrder, 'rule')
    notices.post({ ...outOfOrder, key: 'terminal_warning:terminal-1', audience: 'staff' }, 'rule')
    expect(notices.list('customer').map((n) => n.key)).toEqual([outOfOrder.key])
    notices.withdraw(outOfOrder.key, 'rule')
    expect(notices.list().map((n) => n.audience)).toEqual(['staff'])
    expect(events.at(-1)).toMatchObject({ action: 'withdrawn', notice: { active: false } })
  })

  it('a notice with an end time expires by itself', () => {
    const notices = start()
    notices.post({ ...outOfOrder, key: 'weather:rainstorm', audience: 'staff', endsAt: now + 60_000 }, 'rule:flood')
    notices.expire()
    expect(notices.list()).toHaveLength(1)
    now += 60_000
    notices.expire()
    expect(notices.list()).toHaveLength(0)
    expect(events.at(-1)?.action).toBe('expired')
  })

  it('active notices survive a restart and are republished', () => {
    start().post(outOfOrder, 'rule')
    const again = start()
    expect(again.list().map((n) => n.key)).toEqual([outOfOrder.key])
    again.republishActive()
    expect(retained.map((n) => n.key)).toEqual([outOfOrder.key])
  })
})
