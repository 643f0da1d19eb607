import { beforeEach, describe, expect, it } from 'vitest'
import { shippedTexts } from '../../test/support/shippedTexts.js'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { EventBus } from '../core/events.js'
import { createNetworkFaults } from '../networkFaults/networkFaults.js'
import { createNoticeService, type NoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { createCentralCommands } from './centralCommands.js'
import { parseNetworkFaultCommand } from './networkFaultCommand.js'

const P = 'storeguard/test-store'
const ROOT = `${P}/commands/`
const T0 = Date.parse('2026-12-07T04:00:00Z')
const declareTopic = (id = 'bs-0412') => `${P}/commands/network-faults/${id}/declare`
const clearTopic = (id = 'bs-0412') => `${P}/commands/network-faults/${id}/clear`
const body = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields))
const declaration = {
  commandId: 'nf-1',
  by: 'noc.wang',
  area: { 'zh-CN': '人民路一带', en: 'around Renmin Road' },
  services: '4G',
  expectedRecoveryAt: '2026-12-07T06:30:00Z',
}

describe('network fault commands from the centre: parsing', () => {
  const parse = (topic: string, fields: Record<string, unknown> | Buffer) =>
    parseNetworkFaultCommand(ROOT, topic, Buffer.isBuffer(fields) ? fields : body(fields), T0)

  it('reads a declaration with its area, services and estimate', () => {
    expect(parse(declareTopic(), declaration)).toEqual({
      commandId: 'nf-1',
      faultId: 'bs-0412',
      by: 'noc.wang',
      action: 'declare',
      fault: {
        id: 'bs-0412',
        area: { 'zh-CN': '人民路一带', en: 'around Renmin Road' },
        services: { 'zh-CN': '4G', en: '4G' },
        expectedRecoveryAt: Date.parse('2026-12-07T06:30:00Z'),
      },
    })
    expect(parse(declareTopic(), { ...declaration, expectedRecoveryAt: null })).toMatchObject({
      fault: { expectedRecoveryAt: null },
    })
    expect(parse(clearTopic(), { commandId: 'nf-2', by: 'noc.wang' })).toMatchObject({ action: 'clear', fault: null })
  })

  it('refuses another store’s topic', () => {
    expect(parse('storeguard/other/commands/network-faults/bs-1/declare', declaration)).toMatchObject({
      result: 'refused',
    })
  })

  it.each([
    ['an unknown action', `${P}/commands/network-faults/bs-1/fix`, declaration, /expected commands\/network-faults/],
    ['a fault id with a space', `${P}/commands/network-faults/bs 1/declare`, declaration, /faultId/],
    ['a body that is not JSON', declareTopic(), Buffer.from('{oops'), /commandId/],
    ['a JSON array', declareTopic(), Buffer.from('[]'), /commandId/],
    ['no operator', declareTopic(), { ...declaration, by: ' ' }, /"by"/],
    ['no area', declareTopic(), { ...declaration, area: undefined }, /"area"/],
    ['an area in an unknown language', declareTopic(), { ...declaration, area: { fr: 'rue' } }, /"area"/],
    ['blank services', declareTopic(), { ...declaration, services: '   ' }, /"services"/],
    ['an unreadable estimate', declareTopic(), { ...declaration, expectedRecoveryAt: 'soon' }, /expectedRecoveryAt/],
    ['an estimate in the past', declareTopic(), { ...declaration, expectedRecoveryAt: '2026-12-06T00:00:00Z' }, /31/],
    ['an estimate months ahead', declareTopic(), { ...declaration, expectedRecoveryAt: '2027-06-01T00:00:00Z' }, /31/],
    ['a body over 4 KiB', declareTopic(), { ...declaration, note: 'x'.repeat(5000) }, /4096/],
  ])('finds %s invalid, saying what was expected', (_what, topic, fields, error) => {
    const parsed = parse(topic, fields)
    expect(parsed).toMatchObject({ result: 'invalid' })
    expect('error' in parsed ? parsed.error : '').toMatch(error)
  })

  it('cleans control and bidi characters out of what signage will show', () => {
    const parsed = parse(declareTopic(), { ...declaration, area: 'Renmin\u202e Road\u0007' })
    const area = 'fault' in parsed ? parsed.fault?.area.en : undefined
    expect(area).toMatch(/^Renmin/)
    expect(area).not.toContain('\u202e')
    expect(area).not.toContain('\u0007')
  })
})

describe('network fault commands from the centre: acting on them', () => {
  const journal = useTempJournal()
  let now: number
  let notices: NoticeService

  const start = () => {
    notices = createNoticeService({
      store: createNoticeStore(journal.db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: new EventBus((err) => {
        throw err
      }),
      clock: { now: () => now },
      locale: 'zh-CN',
    })
    const faults = createNetworkFaults({ notices, texts: shippedTexts, timeZone: 'Asia/Shanghai' })
    return createCentralCommands({
      db: journal.db,
      topicPrefix: P,
      alarms: { ack: () => never(), shelve: () => never(), get: () => undefined },
      role: 'staff',
      maxShelveSec: 3600,
      faults,
      now: () => now,
      replied: () => {},
    })
  }
  const never = (): never => {
    throw new Error('no alarm command expected')
  }
  const shown = () => notices.list().map((n) => `${n.audience}:${n.key}`)

  beforeEach(() => {
    now = T0
  })

  it('a declaration posts the staff and customer notices, a clear withdraws both', () => {
    const commands = start()
    expect(commands.handle(declareTopic(), body(declaration))).toMatchObject({
      commandId: 'nf-1',
      action: 'declare',
      faultId: 'bs-0412',
      result: 'done',
      error: null,
    })
    expect(shown()).toEqual(['staff:network_fault:bs-0412:staff', 'customer:network_fault:bs-0412'])
    expect(notices.list('customer')[0]?.text).toContain('预计 12月7日 14:30 恢复')
    expect(commands.handle(clearTopic(), body({ commandId: 'nf-2', by: 'noc.wang' }))).toMatchObject({
      result: 'done',
    })
    expect(shown()).toEqual([])
  })

  it('a new estimate updates the notices; a repeated command id is answered, not done twice', () => {
    const commands = start()
    const first = commands.handle(declareTopic(), body(declaration))
    commands.handle(clearTopic(), body({ commandId: 'nf-2', by: 'noc.wang' }))
    // a redelivery of the declaration after the clear must not put the notices back up
    expect(commands.handle(declareTopic(), body(declaration))).toEqual(first)
    expect(shown()).toEqual([])
    const later = { ...declaration, commandId: 'nf-3', expectedRecoveryAt: '2026-12-07T09:00:00Z' }
    commands.handle(declareTopic(), body(later))
    commands.handle(declareTopic(), body({ ...later, commandId: 'nf-4', expectedRecoveryAt: '2026-12-07T10:00:00Z' }))
    expect(notices.list('customer').map((n) => n.text)).toEqual([expect.stringContaining('预计 12月7日 18:00 恢复')])
  })

  it('clearing a fault that is not declared is not_found and changes nothing', () => {
    const commands = start()
    commands.handle(declareTopic('bs-1'), body(declaration))
    expect(commands.handle(clearTopic('bs-2'), body({ commandId: 'nf-9', by: 'noc.wang' }))).toMatchObject({
      result: 'not_found',
      error: 'network_fault_not_found',
    })
    expect(shown()).toHaveLength(2)
  })

  it('a declaration survives a restart until it is cleared', () => {
    start().handle(declareTopic(), body(declaration))
    journal.reopen()
    const commands = start()
    expect(shown()).toEqual(['staff:network_fault:bs-0412:staff', 'customer:network_fault:bs-0412'])
    commands.handle(clearTopic(), body({ commandId: 'nf-2', by: 'noc.wang' }))
    expect(shown()).toEqual([])
  })

  it('refuses another store’s command and leaves bad ones invalid, unremembered', () => {
    const commands = start()
    const other = commands.handle('storeguard/other/commands/network-faults/bs-1/declare', body(declaration))
    expect(other).toMatchObject({ result: 'refused' })
    expect(commands.handle(declareTopic(), body({ ...declaration, area: '' }))).toMatchObject({ result: 'invalid' })
    // mended under the same id, it is done
    expect(commands.handle(declareTopic(), body(declaration))).toMatchObject({ result: 'done' })
    expect(shown()).toHaveLength(2)
  })
})
