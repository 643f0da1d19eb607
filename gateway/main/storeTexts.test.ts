import { describe, expect, it } from 'vitest'
import { TEXT_TEMPLATES, type TextTemplateId } from '../../rules/checklists/texts.js'
import { createPowerRule } from '../../rules/power.js'
import { fakeRuleView } from '../../test/support/fakeRuleView.js'
import { parseConfig } from '../config/loadConfig.js'
import { storeTexts } from './storeTexts.js'

const T0 = Date.parse('2026-07-01T09:00:00+08:00')
/** The `{recovery}` of a fault notice when the centre has given no estimate. */
const NO_ESTIMATE = { recovery: '' }

function textsFor(yaml: string) {
  return storeTexts(parseConfig(`store:\n  id: shop-12\n${yaml}`, 'store.yaml', {}))
}

/** Every template rendered, with sample values for the placeholders a rule fills. */
function renderAll(texts: ReturnType<typeof storeTexts>): string {
  const sample = { terminal: 'Terminal 1', warnings: 'paper low' }
  const book = texts as unknown as Record<'text' | 'checklist', (id: TextTemplateId, params: object) => unknown>
  return JSON.stringify(
    (Object.keys(TEXT_TEMPLATES) as TextTemplateId[]).map((id) => book[TEXT_TEMPLATES[id].kind](id, sample)),
  )
}

describe("the store's texts", () => {
  it('a China Unicom store names 10010 in every text and never 10086', () => {
    const all = renderAll(textsFor('  operator: unicom\n'))
    expect(all).toContain('10010')
    expect(all).not.toContain('10086')
    expect(all).not.toMatch(/\{hotline\}/)
  })

  it('the power and system notices send customers to the nearby store the config names, or any nearby', () => {
    const nearby = textsFor("  nearbyStore: { zh-CN: '解放路营业厅（步行 5 分钟）', en: 'our Jiefang Road store' }\n")
    for (const id of ['power.customerNotice', 'system.customerNotice'] as const) {
      expect(nearby.text(id, NO_ESTIMATE)['zh-CN']).toContain('前往解放路营业厅（步行 5 分钟）办理')
      expect(nearby.text(id, NO_ESTIMATE).en).toContain('visit our Jiefang Road store')
      expect(textsFor('').text(id, NO_ESTIMATE)['zh-CN']).toContain('前往附近其它营业厅办理')
      expect(textsFor('').text(id, NO_ESTIMATE).en).toContain('visit another of our stores nearby')
    }
    expect(renderAll(nearby)).not.toMatch(/\{nearbyStore\}/)
  })

  it('a store without an operator keeps the China Mobile hotline it always had', () => {
    const texts = textsFor('')
    expect(texts.text('power.customerNotice', NO_ESTIMATE)['zh-CN']).toContain('10086 热线')
    expect(renderAll(texts)).not.toMatch(/10010|10000/)
  })

  it("the power rule's notice and checklist for a China Unicom store say 10010, as the rule engine gives them", () => {
    const fake = fakeRuleView([{ id: 'ups-1', type: 'power', zone: 'hall', name: 'UPS' }], T0)
    const view = { ...fake.view, texts: textsFor('  operator: unicom\n') }
    fake.record('ups-1', 'mains_ok', false)
    const reading = { store: 'shop-12', deviceId: 'ups-1', deviceType: 'power' as const, zone: 'hall' }
    const intents = createPowerRule({ enabled: true }).onReading(
      { ...reading, metric: 'mains_ok', value: false, ts: T0, quality: 'good' },
      view,
    )
    const notice = intents.find((i) => i.type === 'notice')
    expect(notice?.type === 'notice' && notice.texts['zh-CN']).toContain('10010 热线')
    expect(notice?.type === 'notice' && notice.texts.en).toContain('the 10010 hotline')
    expect(JSON.stringify(intents)).toContain('Notify the 10010 hotline')
    expect(JSON.stringify(intents)).not.toContain('10086')
  })

  it("a store's own wording replaces the shipped one, with its hotline filled in", () => {
    const texts = textsFor(
      "  operator: '95555'\ntexts:\n  power.customerNotice:\n    en: 'Power cut. Call {hotline}.'\n",
    )
    expect(texts.text('power.customerNotice', NO_ESTIMATE)).toEqual({
      'zh-CN': expect.stringContaining('95555 热线'),
      en: 'Power cut. Call 95555.',
    })
  })
})
