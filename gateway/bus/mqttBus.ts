import type { MqttMessageSource } from '../../devices/adapter.js'

export interface PublishOptions {
  readonly retain?: boolean
  readonly qos?: 0 | 1
}

/**
 * The gateway's own side of MQTT, whichever broker it uses: the embedded one
 * in-process (no TCP hop on the hot path), or an external one as a client.
 */
export interface MqttBus extends MqttMessageSource {
  /** Fire and forget: the state is journaled already, delivery is the broker's job. */
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): void
  isConnected(): boolean
  close(): Promise<void>
}
