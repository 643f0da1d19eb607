import { describe, expect, it } from 'vitest'
import { customerDueText, localTime } from './customerTime.js'

describe('the due time on a customer notice', () => {
  it("reads in the store's time zone, whatever the host's, in both languages", () => {
    expect(customerDueText('2026-10-02T04:00:00.000Z', 'Asia/Shanghai')).toEqual({
      'zh-CN': '10月2日（周五）12:00',
      en: 'Fri 2 Oct 12:00',
    })
    expect(customerDueText('2026-10-02T04:00:00.000Z', 'Europe/London').en).toBe('Fri 2 Oct 05:00')
  })

  it('crosses midnight in the store zone, not in UTC', () => {
    expect(customerDueText('2026-10-08T17:30:00.000Z', 'Asia/Shanghai')['zh-CN']).toBe('10月9日（周五）01:30')
  })

  it('numbers every month in Chinese, September (Sept in en-GB) and the year end included', () => {
    const months = Array.from(
      { length: 12 },
      (_, i) =>
        customerDueText(`2026-${String(i + 1).padStart(2, '0')}-15T04:00:00.000Z`, 'Asia/Shanghai')['zh-CN'].split(
          '月',
        )[0],
    )
    expect(months).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
  })

  it('gives each due time its own text when asked again with another', () => {
    expect(customerDueText('2026-10-02T04:00:00.000Z', 'Asia/Shanghai').en).toBe('Fri 2 Oct 12:00')
    expect(customerDueText('2026-10-05T04:00:00.000Z', 'Asia/Shanghai').en).toBe('Mon 5 Oct 12:00')
    expect(customerDueText('2026-10-02T04:00:00.000Z', 'Asia/Shanghai').en).toBe('Fri 2 Oct 12:00')
  })

  it('a recovery estimate reads on the store clock too, September included', () => {
    expect(localTime(Date.parse('2026-09-30T16:30:00Z'), 'Asia/Shanghai')).toEqual({
      'zh-CN': '10月1日 00:30',
      en: '00:30 on 1 Oct',
    })
    expect(localTime(Date.parse('2026-09-07T06:30:00Z'), 'Asia/Shanghai')).toEqual({
      'zh-CN': '9月7日 14:30',
      en: '14:30 on 7 Sep',
    })
  })
})
