import { describe, expect, it } from 'vitest'
import { LANGUAGES, placeholdersIn } from '../../gateway/core/texts.js'
import { TEXT_TEMPLATES } from './texts.js'

const entries = Object.entries(TEXT_TEMPLATES)
const linesOf = (wording: string | readonly string[]) => [wording].flat()

describe('the text template registry', () => {
  it('names templates <area>.<text>, so a store can tell what it overrides', () => {
    for (const [id] of entries) expect(id).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
  })

  it('has both languages in every default, and checklists with as many steps in each', () => {
    for (const [id, template] of entries) {
      for (const language of LANGUAGES) expect(linesOf(template.default[language]).length, id).toBeGreaterThan(0)
      if (template.kind === 'checklist') expect(template.default['zh-CN'].length, id).toBe(template.default.en.length)
    }
  })

  it('every default uses only the placeholders its template declares', () => {
    for (const [id, template] of entries) {
      for (const language of LANGUAGES) {
        const used = linesOf(template.default[language]).flatMap(placeholdersIn)
        expect(
          used.filter((p) => !(template.placeholders as readonly string[]).includes(p)),
          id,
        ).toEqual([])
      }
    }
  })

  it('no default names a hotline number: the store operator decides it', () => {
    for (const [id, template] of entries) {
      const all = LANGUAGES.flatMap((language) => linesOf(template.default[language])).join('\n')
      expect(all, id).not.toMatch(/10086|10010|10000/)
    }
  })

  it('the power-cut notice and checklist name the hotline through {hotline}', () => {
    for (const language of LANGUAGES) {
      expect(TEXT_TEMPLATES['power.customerNotice'].default[language]).toContain('{hotline}')
      expect(TEXT_TEMPLATES['power.checklist'].default[language].join()).toContain('{hotline}')
    }
  })
})
