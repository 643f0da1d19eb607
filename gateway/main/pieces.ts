import type { AlarmService } from '../alarms/alarmService.js'
import type { createMqttStatePublisher } from '../alarms/mqttStatePublisher.js'
import type { Bridge } from '../bridge/startBridge.js'
import type { EmbeddedBroker } from '../broker/embeddedBroker.js'
import type { LocalBus, MqttBus } from '../bus/mqttBus.js'
import type { DeviceDirectory } from '../core/ports.js'
import type { DeviceState } from '../engine/deviceState.js'
import type { NetworkFaults } from '../networkFaults/networkFaults.js'
import type { RecoveryEstimates } from '../networkFaults/recoveryEstimates.js'
import type { NoticeService } from '../notices/noticeService.js'
import type { Notifications } from '../notifications/notifications.js'
import type { Outputs } from '../outputs/outputs.js'
import type { Ticketing } from './ticketing.js'

// What one start step hands on to the later ones (docs/design.md#layout, the wiring room).

export interface Mqtt {
  /** The gateway's own broker connection: device messages wait for its `startDelivery`. */
  readonly local: LocalBus
  /** `local`, with what the centre should see also queued for the bridge. */
  readonly bus: MqttBus
  /** The embedded broker; null with an external one. */
  readonly broker: EmbeddedBroker | null
  readonly bridge: Bridge | null
}

export interface Domain {
  readonly alarms: AlarmService
  readonly notices: NoticeService
  /** Base-station / network faults declared by the centre or a manager (docs/requirements.md#network-fault). */
  readonly networkFaults: NetworkFaults
  /** The centre's estimates of when a power cut or system fault is over, for their customer notices. */
  readonly recoveryEstimates: RecoveryEstimates
  readonly publisher: ReturnType<typeof createMqttStatePublisher>
  /** Sirens, strobes and relays: the annunciator and every other requester ask through its arbiter. */
  readonly outputs: Outputs
  readonly devices: DeviceState
  readonly deviceDirectory: DeviceDirectory
}

export interface Services {
  readonly ticketing: Ticketing
  readonly notifications: Notifications | null
}
