import type { Rule, RuleView } from '../../rules/rule.js'
import type { AlarmService } from '../alarms/alarmService.js'
import type { Clock } from '../core/clock.js'
import type { Intent, OutputIntent } from '../core/intent.js'
import type { DeviceType, Reading } from '../core/reading.js'
import type { DeviceState } from './deviceState.js'

export interface RuleEngineOptions {
  readonly store: string
  readonly rules: readonly Rule[]
  readonly devices: DeviceState
  readonly alarms: AlarmService
  readonly clock: Clock
  /** STYLE §1: output intents go straight to the adapter that owns the wire. */
  readonly output: (intent: OutputIntent) => void
  /** A rule that throws is a bug: reported, and the other rules still run. */
  readonly onRuleError: (ruleId: string, err: unknown) => void
}

/**
 * Runs readings through the rules that watch their device type and applies
 * the intents, all as plain synchronous calls (STYLE §4 hot path).
 */
export function createRuleEngine(options: RuleEngineOptions) {
  const { rules, devices, alarms, clock, output, onRuleError } = options
  const byType = new Map<DeviceType, Rule[]>()
  for (const rule of rules) {
    for (const type of rule.watches) byType.set(type, [...(byType.get(type) ?? []), rule])
  }
  const view: RuleView = {
    store: options.store,
    now: () => clock.now(),
    device: devices.device,
    devices: devices.devices,
    latest: devices.latest,
    openAlarm: alarms.byKey,
  }

  function apply(rule: Rule, intents: readonly Intent[]): void {
    const by = `rule:${rule.id}`
    for (const intent of intents) {
      if (intent.type === 'raise') alarms.raise(intent, by)
      else if (intent.type === 'clear') alarms.clear(intent.key, by)
      else output(intent)
    }
  }

  /** Only the rule's own evaluation is guarded: a failing journal is a core fault and must not be hidden. */
  function run(rule: Rule, evaluate: () => readonly Intent[]): void {
    let intents: readonly Intent[]
    try {
      intents = evaluate()
    } catch (err) {
      onRuleError(rule.id, err)
      return
    }
    apply(rule, intents)
  }

  return {
    onReading(reading: Reading): void {
      devices.record(reading)
      for (const rule of byType.get(reading.deviceType) ?? []) run(rule, () => rule.onReading(reading, view))
    },
    tick(): void {
      for (const rule of rules) {
        const onTick = rule.onTick?.bind(rule)
        if (onTick) run(rule, () => onTick(view))
      }
    },
  }
}

export type RuleEngine = ReturnType<typeof createRuleEngine>
