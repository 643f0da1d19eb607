import { type Static, Type as T, type TBoolean, type TObject } from '@sinclair/typebox'
import { ComplaintEscalationSettings, createComplaintEscalationRule } from './complaintEscalation.js'
import { createDeviceHealthRule, DeviceHealthSettings } from './deviceHealth.js'
import { createFacilityFaultRule, FacilityFaultSettings } from './facilityFault.js'
import { createFireRule, FireSettings } from './fire.js'
import { createFloodRule, FloodSettings } from './flood.js'
import { createPowerRule, PowerSettings } from './power.js'
import { createQueueRule, QueueSettings } from './queue.js'
import { createRobberyRule, RobberySettings } from './robbery.js'
import type { Rule } from './rule.js'
import { createSupervisionRule, SupervisionSettings } from './supervision.js'
import { createSystemRule, SystemSettings } from './system.js'
import { createTerminalFaultRule, TerminalFaultSettings } from './terminalFault.js'

/** A rule's settings: an object that has `enabled`. */
type SettingsSchema = TObject & { readonly properties: { readonly enabled: TBoolean } }

/** A rule as the registry knows it: its section of the config file, and how to build it from that section. */
interface RuleEntry<S extends SettingsSchema> {
  readonly settings: S
  readonly create: (settings: Static<S>) => Rule
}

/** Ties a factory to its settings schema, so one that takes other settings does not compile. */
const rule = <S extends SettingsSchema>(settings: S, create: (settings: NoInfer<Static<S>>) => Rule): RuleEntry<S> => ({
  settings,
  create,
})

/**
 * Every rule, one line each, keyed by its config section; adding a rule is its file and a line here
 * (docs/design.md#extension-points). The engine runs them in this order, so when two rules act on one
 * reading their intents come in this order too.
 */
const RULES = {
  fire: rule(FireSettings, createFireRule),
  flood: rule(FloodSettings, createFloodRule),
  robbery: rule(RobberySettings, createRobberyRule),
  terminalFault: rule(TerminalFaultSettings, createTerminalFaultRule),
  facilityFault: rule(FacilityFaultSettings, createFacilityFaultRule),
  power: rule(PowerSettings, createPowerRule),
  system: rule(SystemSettings, createSystemRule),
  complaintEscalation: rule(ComplaintEscalationSettings, createComplaintEscalationRule),
  deviceHealth: rule(DeviceHealthSettings, createDeviceHealthRule),
  supervision: rule(SupervisionSettings, createSupervisionRule),
  queue: rule(QueueSettings, createQueueRule),
}

export type RuleName = keyof typeof RULES
/** Every rule's name, in the order the engine runs them. */
export const RULE_NAMES = Object.keys(RULES) as RuleName[]

/**
 * Per-store rule settings (docs/requirements.md#rules-and-alarms: every number is configurable per
 * store), each rule's own schema under its name; gateway/config/schema.ts puts them in the config file.
 */
export const RulesSchema = T.Object(
  Object.fromEntries(RULE_NAMES.map((name) => [name, RULES[name].settings])) as {
    [K in RuleName]: (typeof RULES)[K]['settings']
  },
  { additionalProperties: false, default: {} },
)

export type RuleSettings = Static<typeof RulesSchema>

/** The rules the store's config enables, built with their settings. */
export function enabledRules(settings: RuleSettings): Rule[] {
  return RULE_NAMES.filter((k) => settings[k].enabled).map((k) => createRule(k, settings))
}

/** One rule, built with its section of `settings` (whether or not it is enabled). */
export function createRule(name: RuleName, settings: RuleSettings): Rule {
  return (RULES[name].create as (s: RuleSettings[typeof name]) => Rule)(settings[name])
}
