import { describe, expect, it } from 'vitest'
import { customerDueText } from './dueText.js'

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
})
