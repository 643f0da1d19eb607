import { describe, expect, it } from 'vitest'
import { hotlineOf } from './operators.js'
import { checklistTemplate, createTextBook, fill, placeholdersIn, textTemplate } from './texts.js'

const TEMPLATES = {
  'a.notice': textTemplate(
    { 'zh-CN': '请拨打 {hotline}，{terminal} 维修中', en: 'Call {hotline}; {terminal} is being repaired' },
    ['hotline', 'terminal'],
  ),
  'a.checklist': checklistTemplate({ 'zh-CN': ['通知 {hotline}', '记录'], en: ['Tell {hotline}', 'Log it'] }, [
    'hotline',
  ]),
}

describe('text templates', () => {
  it('lists the placeholders a text uses, each once, and ignores braces that are not placeholders', () => {
    expect(placeholdersIn('{hotline} and {terminal}, {hotline} again; {} { x } {1a}')).toEqual(['hotline', 'terminal'])
  })

  it('fills placeholders per language and leaves one without a value visible', () => {
    const params = { hotline: '10010', terminal: { 'zh-CN': '一号机', en: 'terminal 1' } }
    expect(fill('{terminal}: {hotline} {other}', params, 'zh-CN')).toBe('一号机: 10010 {other}')
    expect(fill('{terminal}: {hotline}', params, 'en')).toBe('terminal 1: 10010')
  })

  it("renders the store's hotline into texts and every checklist step", () => {
    const book = createTextBook(TEMPLATES, { hotline: '10000', overrides: {} })
    expect(book.text('a.notice', { terminal: 'T1' })).toEqual({
      'zh-CN': '请拨打 10000，T1 维修中',
      en: 'Call 10000; T1 is being repaired',
    })
    expect(book.checklist('a.checklist')).toEqual({ 'zh-CN': ['通知 10000', '记录'], en: ['Tell 10000', 'Log it'] })
  })

  it('uses an override for the languages it gives and the default for the others', () => {
    const book = createTextBook(TEMPLATES, {
      hotline: '95555',
      overrides: {
        'a.notice': { en: '{terminal} is out: ring {hotline}' },
        'a.checklist': { 'zh-CN': ['打 {hotline}'] },
      },
    })
    expect(book.text('a.notice', { terminal: 'T1' })).toEqual({
      'zh-CN': '请拨打 95555，T1 维修中',
      en: 'T1 is out: ring 95555',
    })
    expect(book.checklist('a.checklist')).toEqual({ 'zh-CN': ['打 95555'], en: ['Tell 95555', 'Log it'] })
  })

  it('a rule cannot set the hotline: the store decides it', () => {
    const book = createTextBook(TEMPLATES, { hotline: '10010', overrides: {} })
    // the type says `terminal` only; at run time a stray `hotline` still loses to the store's
    const params = { terminal: 'T1', hotline: '10086' } as { terminal: string }
    expect(book.text('a.notice', params).en).toBe('Call 10010; T1 is being repaired')
  })
})

describe('operators', () => {
  it('maps each operator to its hotline, and takes a number as the hotline itself', () => {
    expect(hotlineOf('mobile')).toBe('10086')
    expect(hotlineOf('unicom')).toBe('10010')
    expect(hotlineOf('telecom')).toBe('10000')
    expect(hotlineOf('95555')).toBe('95555')
  })
})
