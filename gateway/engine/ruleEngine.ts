import type { Rule, RuleView } from '../../rules/rule.js'
import type { Clock } from '../core/clock.js'
import type { CommStatus } from '../core/commStatus.js'
import type { ComplaintReport, ReportTaken } from '../core/complaint.js'
import type { Intent } from '../core/intent.js'
import type { DeviceType, Reading } from '../core/reading.js'
import type { WeatherWarning } from '../core/weather.js'
import { type ZoneNames, zoneInText } from '../core/zoneNames.js'
import type { DeviceState } from './deviceState.js'
import type { IntentDispatcher } from './intentDispatcher.js'

export interface RuleEngineOptions {
  readonly store: string
  readonly rules: readonly Rule[]
  readonly devices: DeviceState
  readonly openAlarm: RuleView['openAlarm']
  readonly dispatcher: IntentDispatcher
  readonly clock: Clock
  /** The store's texts (docs/requirements.md#store-texts), rendered for the rules. */
  readonly texts: RuleView['texts']
  /** What staff call each zone (config `zones`): the rules' messages name zones by these. */
  readonly zoneNames: ZoneNames
  /** The device's open ticket's due time as customers read it (docs/requirements.md#customer-notices-say-when); none without. */
  readonly openTicketDue?: RuleView['openTicketDue']
  /** The store's IANA time zone, for times in texts. */
  readonly timeZone: string
  /** The centre's recovery estimates (docs/requirements.md#network-fault); default: none known. */
  readonly recoveryEstimate?: RuleView['recoveryEstimate']
  /** The store calendar: open at this instant? (docs/requirements.md#queue) */
  readonly isOpen: RuleView['isOpen']
  /** A rule that throws is a bug: reported, and the other rules still run. */
  readonly onRuleError: (ruleId: string, err: unknown) => void
}

/**
 * Runs readings through the rules that watch their device type and applies
 * the intents, all as plain synchronous calls (docs/design.md#hot-path).
 */
export function createRuleEngine(options: RuleEngineOptions) {
  const { devices, dispatcher, clock, onRuleError } = options
  let rules = options.rules
  let byType = indexByType(rules)
  const view: RuleView = {
    store: options.store,
    startedAt: clock.now(),
    now: () => clock.now(),
    device: devices.device,
    devices: devices.devices,
    latest: devices.latest,
    // silence is measured from when a device was last heard, or added by a reload
    lastSeen: devices.heardOrAdded,
    heartbeatSec: devices.heartbeatSec,
    batteryThresholds: devices.batteryThresholds,
    comm: devices.comm,
    openAlarm: options.openAlarm,
    texts: options.texts,
    zoneName: (zone) => zoneInText(options.zoneNames, zone),
    openTicketDue: options.openTicketDue ?? (() => undefined),
    timeZone: options.timeZone,
    recoveryEstimate: options.recoveryEstimate ?? (() => null),
    isOpen: options.isOpen,
  }

  /**
   * Only the rule's own evaluation is guarded: a failing journal is a core fault and must not be hidden.
   * False when the rule threw (its intents, if any, are not dispatched).
   */
  function run(rule: Rule, evaluate: () => readonly Intent[], by = `rule:${rule.id}`): boolean {
    let intents: readonly Intent[]
    try {
      intents = evaluate()
    } catch (err) {
      onRuleError(rule.id, err)
      return false
    }
    for (const intent of intents) dispatcher.dispatch(intent, by)
    return true
  }

  return {
    onReading(reading: Reading): void {
      devices.record(reading)
      for (const rule of byType.get(reading.deviceType) ?? []) run(rule, () => rule.onReading(reading, view))
    },
    onCommStatus(deviceId: string, status: CommStatus): void {
      devices.setComm(deviceId, status)
      for (const rule of rules) {
        const onCommStatus = rule.onCommStatus?.bind(rule)
        if (onCommStatus) run(rule, () => onCommStatus(deviceId, status, view))
      }
    },
    onWeather(warning: WeatherWarning): void {
      for (const rule of rules) {
        const onWeather = rule.onWeather?.bind(rule)
        if (onWeather) run(rule, () => onWeather(warning, view))
      }
    },
    /**
     * A person's report (docs/requirements.md#escalated-complaint): the rules word the alarm, and the
     * journal records the reporter, not the rule, as who raised it.
     */
    onComplaintReport(report: ComplaintReport): ReportTaken {
      const taken = { rules: 0, failed: 0 }
      for (const rule of rules) {
        const onComplaintReport = rule.onComplaintReport?.bind(rule)
        if (!onComplaintReport) continue
        taken.rules += 1
        if (!run(rule, () => onComplaintReport(report, view), report.by)) taken.failed += 1
      }
      return taken
    },
    /** A config reload's rules; takes effect from the next reading or tick. */
    setRules(next: readonly Rule[]): void {
      rules = next
      byType = indexByType(next)
    },
    tick(): void {
      for (const rule of rules) {
        const onTick = rule.onTick?.bind(rule)
        if (onTick) run(rule, () => onTick(view))
      }
      dispatcher.settleChatter()
    },
  }
}

export type RuleEngine = ReturnType<typeof createRuleEngine>

/** A reading meets only the rules that watch its device type. */
function indexByType(rules: readonly Rule[]): Map<DeviceType, Rule[]> {
  const byType = new Map<DeviceType, Rule[]>()
  for (const rule of rules) {
    for (const type of rule.watches) byType.set(type, [...(byType.get(type) ?? []), rule])
  }
  return byType
}
