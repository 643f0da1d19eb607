import { isDeepStrictEqual } from 'node:util'
import { createRule, RULE_NAMES, type RuleName } from '../../rules/registry.js'
import type { Rule } from '../../rules/rule.js'
import type { RuleSettings } from '../config/schema.js'

/** The enabled rules by name, in the engine's order. */
export type RuleSet = ReadonlyMap<RuleName, Rule>

/** The rules `settings` enables, each built from its section. */
export function buildRuleSet(settings: RuleSettings): RuleSet {
  return new Map(RULE_NAMES.filter((n) => settings[n].enabled).map((n) => [n, createRule(n, settings)]))
}

/**
 * The rules after a reload. A rule keeps its state (hold timers, rates, what
 * it already raised) in its instance, so one whose settings did not change is
 * kept as it is: a reload must not restart a hold time under way. One whose
 * settings changed is built anew; the alarms it raised stay open in the alarm
 * service, and it finds them there (`view.openAlarm`) as after a restart.
 */
export function reloadRuleSet(running: RuleSet, old: RuleSettings, next: RuleSettings): RuleSet {
  const rules = new Map<RuleName, Rule>()
  for (const name of RULE_NAMES) {
    if (!next[name].enabled) continue
    const kept = running.get(name)
    rules.set(name, kept !== undefined && isDeepStrictEqual(old[name], next[name]) ? kept : createRule(name, next))
  }
  return rules
}
