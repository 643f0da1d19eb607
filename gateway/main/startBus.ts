import { createUnreadTopicClassifier } from '../../devices/mqtt/unreadTopics.js'
import { type BrokerAcl, createBrokerAcl } from '../broker/brokerAcl.js'
import { createEmbeddedBroker, type EmbeddedBroker } from '../broker/embeddedBroker.js'
import { createDeliveryGate } from '../bus/deliveryGate.js'
import { createClientPublishes, createEmbeddedBus } from '../bus/embeddedBus.js'
import type { LocalBus } from '../bus/mqttBus.js'
import type { ListenerTls } from '../config/listenerTls.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import { unreadTopics } from './inputs.js'

/** The gateway's MQTT side: the embedded broker (default) or a client of an existing one (docs/requirements.md#mqtt-devices). */
export async function startBus(
  config: LoadedConfig,
  log: Logger,
  metrics: GatewayMetrics,
  statusTopic: string,
  /** The mqtts listener's certificate and key, already read and checked; null: plain only. */
  brokerTls: ListenerTls | null = null,
): Promise<{
  bus: LocalBus
  broker: EmbeddedBroker | null
  /** A config reload's devices: their availability and bridge topics are theirs, not unread, and theirs to publish on. */
  reloadDevices(devices: LoadedConfig['devices']): void
}> {
  const busLog = log.child({ mod: 'bus' })
  const onError = (err: Error) => busLog.warn({ err: err.message }, 'mqtt publish failed')
  // client publishes on topics nothing reads: counted, not dropped unseen
  let classify = createUnreadTopicClassifier(config.topicPrefix, config.devices)
  const onUnowned = unreadTopics(metrics, log, (topic) => classify(topic))
  let reloadAcl = (_devices: LoadedConfig['devices']) => {}
  const reloadDevices = (devices: LoadedConfig['devices']) => {
    classify = createUnreadTopicClassifier(config.topicPrefix, devices)
    reloadAcl(devices)
  }
  if (config.broker.mode === 'external' && config.broker.url !== undefined) {
    // mqtt.js only for an external broker: the embedded bus talks to aedes in-process
    const { createClientBus } = await import('../bus/clientBus.js')
    const bus = createClientBus({
      url: config.broker.url,
      clientId: `storeguard-${config.store.id}`,
      statusTopic,
      onError,
      onUnowned,
      ...(config.broker.username !== undefined ? { username: config.broker.username } : {}),
      ...(config.broker.password !== undefined ? { password: config.broker.password } : {}),
    })
    return { bus, broker: null, reloadDevices }
  }
  const aclFor = (devices: LoadedConfig['devices']) =>
    createBrokerAcl({ topicPrefix: config.topicPrefix, broker: config.broker, devices })
  // A reload's devices bring their own topics (`mqtt.topic`), which the access rules must
  // follow, or a sensor added live is refused at the broker while the reload says applied.
  // Logins are unchanged by it: a device whose login changes waits for a restart (docs/reload.md).
  let current = aclFor(config.devices)
  reloadAcl = (devices) => {
    current = aclFor(devices)
  }
  const acl: BrokerAcl = {
    principalFor: (username) => current.principalFor(username),
    mayPublish: (principal, topic) => current.mayPublish(principal, topic),
    maySubscribe: (principal, filter) => current.maySubscribe(principal, filter),
  }
  // the gate exists before the broker listens: a device quicker than the start-up is held, not lost
  const clientPublishes = createClientPublishes(createDeliveryGate(onUnowned))
  const broker = await createEmbeddedBroker({
    config: config.broker,
    acl,
    log,
    metrics,
    clientPublish: clientPublishes.handle,
    tls: brokerTls,
  })
  const bus = createEmbeddedBus(broker.aedes, onError, clientPublishes)
  // The embedded broker dies with the gateway, so no will can announce it;
  // `offline` is published on a clean stop, and `online` again at every start.
  bus.publish(statusTopic, 'online', { retain: true, qos: 1 })
  return { bus, broker, reloadDevices }
}
