import { TEXT_TEMPLATES, type TextTemplateId } from '../../rules/checklists/texts.js'
import { LANGUAGES, placeholdersIn } from '../core/texts.js'
import type { TextsConfig } from './schema.js'

/** A problem in the `texts` section; `segments` start below it. */
export interface TextsProblem {
  readonly segments: readonly (string | number)[]
  readonly message: string
}

/**
 * An override may use only its template's placeholders (docs/requirements.md#store-texts): any other
 * would reach customers as a literal `{name}`, so it is refused at load, not found on the signage.
 */
export function textsProblems(texts: TextsConfig): TextsProblem[] {
  const problems: TextsProblem[] = []
  for (const id of Object.keys(texts) as TextTemplateId[]) {
    const allowed: readonly string[] = TEXT_TEMPLATES[id].placeholders
    for (const language of LANGUAGES) {
      const wording = texts[id]?.[language]
      if (wording === undefined) continue
      const lines =
        typeof wording === 'string' ? [{ text: wording, at: [] }] : wording.map((text, i) => ({ text, at: [i] }))
      for (const { text, at } of lines) {
        const unknown = placeholdersIn(text).filter((p) => !allowed.includes(p))
        if (unknown.length === 0) continue
        problems.push({
          segments: [id, language, ...at],
          message: `uses ${names(unknown)}, which ${id} does not fill; it takes ${names(allowed)}`,
        })
      }
    }
  }
  return problems
}

const names = (list: readonly string[]) => (list.length === 0 ? 'none' : list.map((p) => `{${p}}`).join(', '))
