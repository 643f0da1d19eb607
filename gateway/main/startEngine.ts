import { enabledRules } from '../../rules/registry.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import { createChatterFilter } from '../engine/chatterFilter.js'
import { createIntentDispatcher } from '../engine/intentDispatcher.js'
import { createRuleEngine, type RuleEngine } from '../engine/ruleEngine.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Services } from './pieces.js'

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
  const engine = createRuleEngine({
    store: config.store.id,
    rules: enabledRules(config.rules),
    devices: domain.devices,
    openAlarm: alarms.byKey,
    dispatcher,
    clock,
    texts: ctx.texts,
    zoneNames: zoneNamesOf(config.zones),
    onRuleError: (ruleId, err) => engineLog.error({ ruleId, err }, 'rule failed on a reading'),
  })
  // hold times and heartbeats
  await life.start({ name: 'rule engine', tick: () => engine.tick() })
  return engine
}
