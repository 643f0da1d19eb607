import { describe, expect, it } from 'vitest'
import { localTime } from '../gateway/core/customerTime.js'
import { hotlineOf } from '../gateway/core/operators.js'
import { createTextBook } from '../gateway/core/texts.js'
import { TEXT_TEMPLATES } from './checklists/texts.js'
import { networkFaultCleared, networkFaultIdOf, networkFaultKey, networkFaultNotices } from './networkFault.js'

const shipped = createTextBook(TEXT_TEMPLATES, { hotline: hotlineOf('unicom'), overrides: {} })
const fault = {
  id: 'bs-0412',
  area: { 'zh-CN': '人民路至解放路一带', en: 'Renmin Road to Jiefang Road' },
  services: { 'zh-CN': '通话和 4G 上网', en: 'calls and 4G data' },
  // 14:30 in Shanghai
  expectedRecoveryAt: Date.parse('2026-12-07T06:30:00Z'),
}

describe('network fault notices', () => {
  it('posts a staff notice with the plan’s script and a customer notice that says when and where else to go', () => {
    const [staff, customer] = networkFaultNotices(fault, shipped, 'Asia/Shanghai')
    expect(staff).toMatchObject({ key: 'network_fault:bs-0412:staff', audience: 'staff', zone: null, endsAt: null })
    expect(staff?.texts['zh-CN']).toContain('人民路至解放路一带的通话和 4G 上网受影响')
    expect(staff?.texts['zh-CN']).toContain('留下客户联系方式')
    expect(staff?.texts['zh-CN']).toContain('不要现场承诺赔偿')
    expect(staff?.texts.en).toContain('promise none on the spot')
    expect(customer).toMatchObject({ key: networkFaultKey('bs-0412'), audience: 'customer', deviceId: null })
    expect(customer?.texts['zh-CN']).toContain('预计 12月7日 14:30 恢复。')
    expect(customer?.texts['zh-CN']).toContain('我们深表歉意')
    expect(customer?.texts['zh-CN']).toContain('也可前往附近其它营业厅')
    expect(customer?.texts.en).toContain('We expect service back by 14:30 on 7 Dec.')
    expect(customer?.texts.en).toContain('calls and 4G data in Renmin Road to Jiefang Road')
    expect(customer?.texts.en).not.toMatch(/\{[a-zA-Z]+\}/)
  })

  it('says the time will be posted when the centre has no estimate', () => {
    const [, customer] = networkFaultNotices({ ...fault, expectedRecoveryAt: null }, shipped, 'Asia/Shanghai')
    expect(customer?.texts['zh-CN']).toContain('恢复时间确定后我们将第一时间公布。')
    expect(customer?.texts.en).toContain('We will post the expected recovery time as soon as we know it.')
  })

  it('names the store’s nearby store, and a store’s own wording wins', () => {
    const texts = createTextBook(TEXT_TEMPLATES, {
      hotline: '10010',
      nearbyStore: {
        'zh-CN': '解放路营业厅（出门右转步行 5 分钟）',
        en: 'our Jiefang Road store (5 minutes to the right)',
      },
      overrides: { 'network.customerNotice': { en: '{services} down near {area}. {recovery} Or try {nearbyStore}.' } },
    })
    const [, customer] = networkFaultNotices(fault, texts, 'Asia/Shanghai')
    expect(customer?.texts['zh-CN']).toContain('也可前往解放路营业厅（出门右转步行 5 分钟）。')
    expect(customer?.texts.en).toBe(
      'calls and 4G data down near Renmin Road to Jiefang Road. We expect service back by 14:30 on 7 Dec. ' +
        'Or try our Jiefang Road store (5 minutes to the right).',
    )
  })

  it('shows the recovery time on the store’s clock, not the host’s', () => {
    const at = Date.parse('2026-12-31T23:05:00Z')
    expect(localTime(at, 'Asia/Shanghai')).toEqual({ 'zh-CN': '1月1日 07:05', en: '07:05 on 1 Jan' })
    expect(localTime(at, 'Europe/London')).toEqual({ 'zh-CN': '12月31日 23:05', en: '23:05 on 31 Dec' })
  })

  it('a clear withdraws both notices, and only customer notices name a fault', () => {
    expect(networkFaultCleared('bs-0412')).toEqual([
      { type: 'withdraw_notice', key: 'network_fault:bs-0412:staff' },
      { type: 'withdraw_notice', key: 'network_fault:bs-0412' },
    ])
    expect(networkFaultIdOf('network_fault:bs-0412')).toBe('bs-0412')
    expect(networkFaultIdOf('network_fault:bs-0412:staff')).toBeNull()
    expect(networkFaultIdOf('power_outage:ups-1')).toBeNull()
  })
})
