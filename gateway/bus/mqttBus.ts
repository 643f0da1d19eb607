import type { MqttMessageSource } from '../../devices/adapter.js'
import type { DurabilityBarrier } from './deliveryGate.js'

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

/** The bus the gateway's own broker connection gives: device messages wait for `startDelivery`. */
export interface LocalBus extends MqttBus {
  /**
   * Called once every handler is subscribed: messages held until now are
   * handled, and from now on each device message is acknowledged only after
   * `barrier`. Resolves once the broker has confirmed the subscriptions, or
   * — an external broker that cannot be reached — once they are kept for the
   * next connection: the start never waits for the broker to come back.
   */
  startDelivery(barrier: DurabilityBarrier): Promise<void>
}
