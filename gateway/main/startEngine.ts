import { createStoreCalendar } from '../calendar/storeCalendar.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import { createChatterFilter } from '../engine/chatterFilter.js'
import { createIntentDispatcher } from '../engine/intentDispatcher.js'
import { createRuleEngine, type RuleEngine } from '../engine/ruleEngine.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Services } from './pieces.js'
import { buildRuleSet, reloadRuleSet } from './ruleSet.js'

/** The rules and the dispatcher that turns their intents into alarms, notices and ticket requests. */
export async function startEngine(
  ctx: GatewayContext,
  domain: Domain,
  services: Services,
  life: Lifecycle,
): Promise<RuleEngine> {
  const { config, clock, events } = ctx
  const { alarms, notices, publisher } = domain
  const engineLog = ctx.log.child({ mod: 'engine' })
  const dispatcher = createIntentDispatcher({
    alarms,
    notices,
    chatter: createChatterFilter(config.alarms),
    now: clock.now,
    ticketRequested: (event) => {
      publisher.event(event)
      events.emit(event)
      services.ticketing.request(event)
    },
    inhibited: (intent, reason) => engineLog.info({ key: intent.key, reason }, 'alarm inhibited'),
  })
  let settings = config.rules
  let ruleSet = buildRuleSet(settings)
  const engine = createRuleEngine({
    store: config.store.id,
    rules: [...ruleSet.values()],
    devices: domain.devices,
    openAlarm: alarms.byKey,
    dispatcher,
    clock,
    texts: ctx.texts,
    zoneNames: zoneNamesOf(config.zones),
    openTicketDue: (deviceId) => services.ticketing.openTicketDue(deviceId),
    timeZone: config.store.timeZone,
    recoveryEstimate: domain.recoveryEstimates.get,
    // the store's own opening hours, whatever calendar the repair tickets run on
    isOpen: createStoreCalendar({
      timeZone: config.store.timeZone,
      weekly: config.store.businessHours,
      specialDays: config.store.specialDays,
    }).isOpen,
    onRuleError: (ruleId, err) => engineLog.error({ ruleId, err }, 'rule failed on a reading'),
  })
  await life.start({
    name: 'rule engine',
    // hold times and heartbeats
    tick: () => engine.tick(),
    // The devices first, so a rule built anew already sees the new list; a rule whose
    // settings did not change keeps its state (ruleSet.ts).
    reload(next) {
      domain.devices.reload(next.devices, next.rules.deviceHealth, clock.now())
      ruleSet = reloadRuleSet(ruleSet, settings, next.rules)
      settings = next.rules
      engine.setRules([...ruleSet.values()])
    },
  })
  return engine
}
