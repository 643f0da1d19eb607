import type { Config } from '../gateway/config/schema.js'
import { fireRule } from './fire.js'
import type { Rule } from './rule.js'

type RuleSettings = Config['rules']

/** Every rule, one line each, keyed by its config section; a missing line does not compile. */
const RULES: { readonly [K in keyof RuleSettings]: Rule } = {
  fire: fireRule,
}

/** The rules the store's config enables. */
export function enabledRules(settings: RuleSettings): Rule[] {
  return (Object.keys(RULES) as (keyof RuleSettings)[]).filter((k) => settings[k].enabled).map((k) => RULES[k])
}
