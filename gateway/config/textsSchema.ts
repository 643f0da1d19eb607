import { type Static, Type as T, type TOptional, type TUnsafe } from '@sinclair/typebox'
import { TEXT_TEMPLATES, type TextTemplateId } from '../../rules/checklists/texts.js'
import { LANGUAGES, type Template } from '../core/texts.js'

/**
 * The `texts` section (docs/requirements.md#store-texts): a store's own wording of any customer or
 * staff text, per template id and language. Built from the template registry, so a template
 * registered there is configurable here, and the published schema lists every id an editor may use.
 */

/** Either kind, as the code sees an override; the schema of each template holds its own kind. */
const AnyOverride = T.Object({
  'zh-CN': T.Optional(T.Union([T.String(), T.Array(T.String())])),
  en: T.Optional(T.Union([T.String(), T.Array(T.String())])),
})
type Override = Static<typeof AnyOverride>

const listOf = (names: readonly string[]) => names.map((p) => `{${p}}`).join(', ')

function overrideSchema(template: Template): TOptional<TUnsafe<Override>> {
  const wording =
    template.kind === 'text'
      ? T.String({ minLength: 1 })
      : T.Array(T.String({ minLength: 1 }), { minItems: 1, description: 'the steps, in order' })
  const languages = T.Object(Object.fromEntries(LANGUAGES.map((language) => [language, T.Optional(wording)])), {
    additionalProperties: false,
    description: `${template.kind === 'text' ? 'a text' : 'a checklist'}; placeholders: ${listOf(template.placeholders)}`,
  })
  return T.Optional(T.Unsafe<Override>(languages))
}

const IDS = Object.keys(TEXT_TEMPLATES) as TextTemplateId[]

export const TextsSchema = T.Object(
  Object.fromEntries(IDS.map((id) => [id, overrideSchema(TEXT_TEMPLATES[id])])) as {
    [K in TextTemplateId]: TOptional<TUnsafe<Override>>
  },
  {
    additionalProperties: false,
    default: {},
    description: "the store's own wording of customer and staff texts, by template id and language",
  },
)

/** What an unknown key under `texts` is, for the config error: a template id, or a language. */
export function unknownTextMessage(segments: readonly (string | number)[]): string {
  if (segments.length === 2) return `is not a text template; the templates are ${IDS.join(', ')}`
  return `is not a language: use ${LANGUAGES.join(' or ')}`
}
