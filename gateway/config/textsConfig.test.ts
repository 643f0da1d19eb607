import { describe, expect, it } from 'vitest'
import { isStoreGuardError, type StoreGuardError } from '../core/errors.js'
import { type ConfigProblem, parseConfig } from './loadConfig.js'

const load = (yaml: string) => parseConfig(yaml, 'store.yaml', {})

/** The problems a config_invalid error lists, with the error's text. */
function rejected(yaml: string): { problems: readonly ConfigProblem[]; message: string } {
  try {
    load(yaml)
  } catch (err) {
    expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
    const e = err as StoreGuardError & { problems: readonly ConfigProblem[] }
    const problems = e.problems.map(({ path, line, message }) => ({ path, line, message }))
    return { problems, message: e.message }
  }
  return expect.fail('expected the config to be rejected')
}

const store = (operator?: string) =>
  `store:\n  id: shop-12\n${operator === undefined ? '' : `  operator: ${operator}\n`}`

describe('store.operator', () => {
  it('is China Mobile unless set, so a config from before keeps its 10086 texts', () => {
    expect(load(store()).store.operator).toBe('mobile')
  })

  it('takes the three operators and a hotline number, quoted or not', () => {
    for (const operator of ['unicom', 'telecom', 'mobile', "'95555'", '95555'])
      expect(load(store(operator)).store.operator).toBe(operator.replaceAll("'", ''))
  })

  it('refuses anything else, saying what it takes, with the line', () => {
    for (const operator of ['vodafone', "'10 086'", "'+86'"]) {
      const { problems } = rejected(store(operator))
      expect(problems).toEqual([
        {
          path: 'store.operator',
          line: 3,
          message: expect.stringMatching(/^must be mobile .*unicom .*telecom .*digits/),
        },
      ])
    }
  })
})

describe('texts overrides', () => {
  it("accepts a store's wording per template and language", () => {
    const config = load(
      `${store('unicom')}texts:\n  power.customerNotice:\n    en: 'Power cut: call {hotline}'\n  power.checklist:\n    zh-CN: ['通知 {hotline}']\n`,
    )
    expect(config.texts).toEqual({
      'power.customerNotice': { en: 'Power cut: call {hotline}' },
      'power.checklist': { 'zh-CN': ['通知 {hotline}'] },
    })
  })

  it('is empty unless set', () => {
    expect(load(store()).texts).toEqual({})
  })

  it('refuses an unknown template id, naming the templates there are, with the line', () => {
    const { problems, message } = rejected(`${store()}texts:\n  power.customerNotise:\n    en: 'Power cut'\n`)
    expect(problems).toEqual([
      {
        path: 'texts.power.customerNotise',
        line: 4,
        message: expect.stringMatching(/^is not a text template; the templates are .*power\.customerNotice/),
      },
    ])
    expect(message).toContain('store.yaml:4: texts.power.customerNotise is not a text template')
  })

  it('refuses an unknown language', () => {
    const { problems } = rejected(`${store()}texts:\n  power.customerNotice:\n    fr: 'Panne'\n`)
    expect(problems).toEqual([
      { path: 'texts.power.customerNotice.fr', line: 5, message: 'is not a language: use zh-CN or en' },
    ])
  })

  it('refuses a placeholder the template does not fill, naming the ones it does, with the line', () => {
    const yaml = `${store()}texts:\n  power.customerNotice:\n    zh-CN: '停电，请拨打 {hotline}'\n    en: 'Power cut at {terminal}: call {phone}'\n`
    const { problems, message } = rejected(yaml)
    expect(problems).toEqual([
      {
        path: 'texts.power.customerNotice.en',
        line: 6,
        message:
          'uses {terminal}, {phone}, which power.customerNotice does not fill; it takes {hotline}, {nearbyStore}, {recovery}',
      },
    ])
    expect(message).toContain('store.yaml:6: texts.power.customerNotice.en uses {terminal}, {phone}')
  })

  it('checks each checklist step, and takes the placeholders a template declares beyond the hotline', () => {
    const yaml = `${store()}texts:\n  terminal.customerNotice:\n    en: '{terminal} is out of order; call {hotline}'\n  power.checklist:\n    en:\n      - 'Call {hotline}'\n      - 'Tell {manager}'\n`
    expect(rejected(yaml).problems).toEqual([
      {
        path: 'texts.power.checklist.en[1]',
        line: 9,
        message: 'uses {manager}, which power.checklist does not fill; it takes {hotline}, {nearbyStore}',
      },
    ])
  })

  it('wants a text where the template is a text and steps where it is a checklist', () => {
    const yaml = `${store()}texts:\n  power.customerNotice:\n    en: ['a', 'b']\n  power.checklist:\n    en: 'one step'\n`
    expect(rejected(yaml).problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['texts.power.customerNotice.en', 'texts.power.checklist.en']),
    )
  })
})
