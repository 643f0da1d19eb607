import type { Checklist, LocalizedText } from './alarm.js'

/**
 * Customer and staff text templates (docs/requirements.md#store-texts): the wording is data, with
 * `{name}` placeholders that are filled where the text is rendered, once per store. A store's
 * config may replace any template per language; the registry of templates is in
 * rules/checklists/texts.ts, so rules and the config loader read the same list.
 */

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

/**
 * Placeholders every template may use: they come from the store's config, not from the rule.
 * `nearbyStore` is where customers can go instead (docs/requirements.md#network-fault).
 */
export const STORE_PLACEHOLDERS = ['hotline', 'nearbyStore'] as const
export type StorePlaceholder = (typeof STORE_PLACEHOLDERS)[number]

/** One sentence or paragraph (a notice), or a numbered list of steps (a checklist). */
export type TemplateKind = 'text' | 'checklist'

export interface Template<K extends TemplateKind = TemplateKind, P extends string = string> {
  readonly kind: K
  /** The placeholders the template may use; an override using any other is refused at config load. */
  readonly placeholders: readonly P[]
  readonly default: K extends 'text' ? LocalizedText : Checklist
}

/** A notice or message template; placeholders beyond the store's are filled by the rule. */
export const textTemplate = <const P extends string>(
  text: LocalizedText,
  placeholders: readonly P[],
): Template<'text', P> => ({ kind: 'text', placeholders, default: text })

/** A checklist template: each step may use the placeholders. */
export const checklistTemplate = <const P extends string>(
  checklist: Checklist,
  placeholders: readonly P[],
): Template<'checklist', P> => ({ kind: 'checklist', placeholders, default: checklist })

export type Templates = Readonly<Record<string, Template>>

/** A store's replacements, per template id and language; a language left out keeps the default. */
export type TextOverrides = Readonly<
  Record<string, Partial<Readonly<Record<Language, string | readonly string[]>>> | undefined>
>

/** A value for a placeholder: the same in both languages, or one per language. */
export type TextParam = string | LocalizedText

type IdsOf<R extends Templates, K extends TemplateKind> = {
  [I in keyof R & string]: R[I]['kind'] extends K ? I : never
}[keyof R & string]

type RuleParams<T> = T extends Template<TemplateKind, infer P> ? Exclude<P, StorePlaceholder> : never

/** No argument when the store fills every placeholder; else the rule's values, each one required. */
type ParamsArg<T> = [RuleParams<T>] extends [never] ? [] : [Readonly<Record<RuleParams<T>, TextParam>>]

/** The one place texts are rendered: rules and the gateway ask it for a template by id. */
export interface TextBook<R extends Templates> {
  text<I extends IdsOf<R, 'text'>>(id: I, ...params: ParamsArg<R[I]>): LocalizedText
  checklist<I extends IdsOf<R, 'checklist'>>(id: I, ...params: ParamsArg<R[I]>): Checklist
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g

/** The placeholder names a text uses, in order, each once. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))]
}

/** Fills `{name}` from `params`; a name without a value stays as written, so a gap is visible, not blank. */
export function fill(text: string, params: Readonly<Record<string, TextParam>>, language: Language): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'string' ? value : value[language]
  })
}

export interface TextBookOptions {
  /** The store's hotline number, from `store.operator`. */
  readonly hotline: string
  /** Another store customers can go to, with directions (`store.nearbyStore`); default: any of ours nearby. */
  readonly nearbyStore?: LocalizedText
  readonly overrides: TextOverrides
}

/** What `{nearbyStore}` says when the store names none (docs/requirements.md#network-fault). */
export const ANY_NEARBY_STORE: LocalizedText = { 'zh-CN': '附近其它营业厅', en: 'another of our stores nearby' }

export function createTextBook<R extends Templates>(templates: R, options: TextBookOptions): TextBook<R> {
  const store: Record<StorePlaceholder, TextParam> = {
    hotline: options.hotline,
    nearbyStore: options.nearbyStore ?? ANY_NEARBY_STORE,
  }
  /** The store's wording if it has one for this language, else the shipped one; as lines, one per step. */
  const linesOf = (id: string, language: Language): readonly string[] => {
    const template = templates[id]
    if (template === undefined) throw new Error(`no text template "${id}"`)
    return [options.overrides[id]?.[language] ?? template.default[language]].flat()
  }
  // the store's values last: a rule cannot name another hotline than the store's
  const paramsOf = (params: readonly unknown[]) => ({
    ...((params[0] ?? {}) as Readonly<Record<string, TextParam>>),
    ...store,
  })
  return {
    text(id, ...params) {
      const all = paramsOf(params)
      const one = (language: Language) => fill(linesOf(id, language).join('\n'), all, language)
      return { 'zh-CN': one('zh-CN'), en: one('en') }
    },
    checklist(id, ...params) {
      const all = paramsOf(params)
      const steps = (language: Language) => linesOf(id, language).map((step) => fill(step, all, language))
      return { 'zh-CN': steps('zh-CN'), en: steps('en') }
    },
  }
}
