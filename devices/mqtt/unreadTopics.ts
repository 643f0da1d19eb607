import type { RejectReason } from '../decoders/decodeResult.js'
import type { DeviceConfig } from '../deviceSchema.js'

/**
 * What a client message on a topic nothing in the gateway reads is: `null`
 * when it is a device's own traffic the gateway has no use for, or the reason
 * it is counted under.
 *
 * - `<device topic>/availability` (online/offline per device) is the device's,
 *   allowed by its ACL: the MQTT adapter reads it for zigbee2mqtt devices,
 *   and for others it reaches here and is not counted.
 * - `<base>/bridge/...` of a zigbee2mqtt bridge a device reads through
 *   (`<base>` the first level of its topic) is the bridge's own status and
 *   log, published all day: counting it would make a healthy store look
 *   under attack on every dashboard. Not counted.
 * - Anything else under `<prefix>/` is in the gateway's own topic space but on
 *   no topic it reads (a deeper level under a device, a made-up sub-tree):
 *   `unknown_topic`, as the device router says of its own odd topics.
 * - Everything else is outside every device's and the gateway's topics:
 *   `foreign_topic`.
 */
export function createUnreadTopicClassifier(
  topicPrefix: string,
  devices: readonly DeviceConfig[],
): (topic: string) => RejectReason | null {
  const availability = new Set(
    devices.flatMap((d) => (d.mqtt.topic === undefined ? [] : [`${d.mqtt.topic}/availability`])),
  )
  const bridgeTrees = new Set(
    devices.flatMap((d) =>
      d.mqtt.topic === undefined || (d.mqtt.format ?? 'zigbee2mqtt') !== 'zigbee2mqtt'
        ? []
        : [`${d.mqtt.topic.split('/')[0]}/bridge/`],
    ),
  )
  const own = `${topicPrefix}/`
  return (topic) => {
    if (availability.has(topic)) return null
    for (const tree of bridgeTrees) if (topic.startsWith(tree)) return null
    return topic.startsWith(own) ? 'unknown_topic' : 'foreign_topic'
  }
}
