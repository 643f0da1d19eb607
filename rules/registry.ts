import { createDeviceHealthRule } from './deviceHealth.js'
import { createFireRule } from './fire.js'
import { createFloodRule } from './flood.js'
import { createPowerRule } from './power.js'
import { createRobberyRule } from './robbery.js'
import type { Rule } from './rule.js'
import type { RuleSettings } from './rulesSchema.js'
import { createSupervisionRule } from './supervision.js'
import { createSystemRule } from './system.js'
import { createTerminalFaultRule } from './terminalFault.js'

type RuleFactories = { readonly [K in keyof RuleSettings]: (settings: RuleSettings[K]) => Rule }

/** Every rule, one line each, keyed by its config section; a missing line does not compile. */
const RULES: RuleFactories = {
  fire: createFireRule,
  flood: createFloodRule,
  robbery: createRobberyRule,
  terminalFault: createTerminalFaultRule,
  power: createPowerRule,
  system: createSystemRule,
  deviceHealth: createDeviceHealthRule,
  supervision: createSupervisionRule,
}

/** The rules the store's config enables, built with their settings. */
export function enabledRules(settings: RuleSettings): Rule[] {
  return (Object.keys(RULES) as (keyof RuleSettings)[])
    .filter((k) => settings[k].enabled)
    .map((k) => (RULES[k] as (s: RuleSettings[typeof k]) => Rule)(settings[k]))
}
