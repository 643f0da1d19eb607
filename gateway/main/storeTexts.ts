import { TEXT_TEMPLATES, type TextTemplates } from '../../rules/checklists/texts.js'
import type { Config } from '../config/schema.js'
import { hotlineOf } from '../core/operators.js'
import { createTextBook, type TextBook } from '../core/texts.js'

export type StoreTexts = TextBook<TextTemplates>

/** The store's text book: its operator's hotline and its `texts` overrides over the shipped templates. */
export function storeTexts(config: Pick<Config, 'store' | 'texts'>): StoreTexts {
  return createTextBook(TEXT_TEMPLATES, {
    hotline: hotlineOf(config.store.operator),
    ...(config.store.nearbyStore ? { nearbyStore: config.store.nearbyStore } : {}),
    overrides: config.texts,
  })
}
