import type { LoadedConfig } from '../config/loadConfig.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import { createDiscoveryIndex } from '../homeassistant/discoveryIndex.js'
import { gatewayVersion } from '../homeassistant/gatewayVersion.js'
import { createHomeAssistant, type HomeAssistantSetup } from '../homeassistant/homeAssistant.js'
import type { SqliteDatabase } from '../storage/database.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Mqtt } from './pieces.js'

/**
 * Home Assistant discovery (docs/home-assistant.md), started right after the
 * alarms are republished: its summary counts them, and HA learns of the store
 * before the first reading. Started even when disabled, so a store that turns
 * it off gets its entities cleared. It publishes on the local bus only: HA
 * reads the store's broker, and the centre has no use for the store's HA entities.
 */
export async function startHomeAssistant(
  ctx: GatewayContext,
  db: SqliteDatabase,
  mqtt: Mqtt,
  domain: Domain,
  life: Lifecycle,
): Promise<void> {
  const swVersion = gatewayVersion()
  const ha = createHomeAssistant(homeAssistantSetup(ctx.config, swVersion), {
    bus: mqtt.local,
    events: ctx.events,
    openAlarms: () => domain.alarms.open(),
    index: createDiscoveryIndex(db),
    now: ctx.clock.now,
    log: ctx.log.child({ mod: 'homeassistant' }),
  })
  await life.start({
    name: 'home assistant',
    start: () => ha.start(),
    stop: () => ha.stop(),
    reload: (next) => ha.reload(homeAssistantSetup(next, swVersion)),
  })
}

/** The parts of the config the discovery is built from. */
export function homeAssistantSetup(config: LoadedConfig, swVersion: string): HomeAssistantSetup {
  return {
    ...config.homeassistant,
    topicPrefix: config.topicPrefix,
    store: { id: config.store.id, name: config.store.name ?? config.store.id, locale: config.store.locale },
    devices: config.devices,
    zoneNames: zoneNamesOf(config.zones),
    swVersion,
  }
}
