import { type Static, Type as T } from '@sinclair/typebox'

/**
 * Home Assistant MQTT discovery (docs/home-assistant.md): the gateway announces
 * every device's readings, its health and the store's alarm summary on the
 * broker HA reads, so a store's HA finds them without YAML of its own.
 */
export const HomeAssistantSchema = T.Object(
  {
    enabled: T.Boolean({
      default: false,
      description: 'publish Home Assistant MQTT discovery for the devices and the alarm summary',
    }),
    discoveryPrefix: T.String({
      default: 'homeassistant',
      minLength: 1,
      // a level of a topic HA subscribes to with `<prefix>/#`: no wildcards, no leading or trailing slash
      pattern: '^[^+#/$]([^+#]*[^+#/])?$',
      description: "the discovery prefix Home Assistant's MQTT integration listens on",
    }),
  },
  { additionalProperties: false, default: {} },
)

export type HomeAssistantConfig = Static<typeof HomeAssistantSchema>
