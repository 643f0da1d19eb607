import type { SqliteDatabase } from '../storage/database.js'
import type { GatewayContext } from './context.js'
import type { Lifecycle } from './lifecycle.js'
import type { Mqtt } from './pieces.js'
import { startBus } from './startBus.js'

/**
 * The broker (or the client of an external one), the bridge to the centre if
 * configured, and the bus the gateway publishes on. Stopped in reverse: the
 * `offline` status goes out on the bus, through the bridge's queue, before the
 * bus closes; then the bridge stops, then the broker.
 */
export async function startMqtt(ctx: GatewayContext, db: SqliteDatabase, life: Lifecycle): Promise<Mqtt> {
  const { config, log, metrics } = ctx
  const statusTopic = `${config.topicPrefix}/gateway/status`
  const local = await startBus(config, log, metrics, statusTopic, ctx.tls.broker)
  const { broker } = local
  if (broker) await life.start({ name: 'mqtt broker', stop: () => broker.close() })
  const bridge = await startBridgeIfConfigured(ctx, db)
  if (bridge) await life.start({ name: 'bridge', stop: () => bridge.stop() })
  // what the centre should see goes through the bridge's durable queue too
  const bus = bridge ? bridge.tee(local.bus) : local.bus
  await life.start({
    name: 'mqtt bus',
    reload: (next) => local.reloadDevices(next.devices),
    async stop() {
      bus.publish(statusTopic, 'offline', { retain: true, qos: 1 })
      await bus.close()
    },
  })
  return { local: local.bus, bus, broker, bridge }
}

async function startBridgeIfConfigured(ctx: GatewayContext, db: SqliteDatabase) {
  const { config } = ctx
  if (!config.bridge?.enabled) return null
  // mqtt.js is loaded only for a gateway that has a centre (or an external broker)
  const { startBridge } = await import('../bridge/startBridge.js')
  return startBridge({
    config: config.bridge,
    storeId: config.store.id,
    topicPrefix: config.topicPrefix,
    db,
    events: ctx.events,
    registry: ctx.metrics.registry,
    log: ctx.log,
    now: ctx.clock.now,
  })
}
