import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

/**
 * A button staff press when a complaint escalates (docs/requirements.md#escalated-complaint): a
 * wired GPIO push button under the counter or a Zigbee wireless button. Its own type, not a
 * `panic_button`: a panic button is a silent robbery alarm, hidden from staff, while this one
 * calls the duty manager and the complaint supervisor openly.
 */
export const complaintButton: DeviceTypeDefinition = {
  type: 'complaint_button',
  metrics: {
    pressed: { kind: 'boolean', description: 'the complaint button is pressed' },
    action: { kind: 'string', description: 'zigbee2mqtt action, e.g. single, double, hold' },
    ...ZIGBEE_COMMON_METRICS,
  },
  // not life-safety: supervised as loosely as a door contact
  heartbeatSec: 7200,
  // a CR2032 wireless button, flagged at the knee as the panic button is
  lowBatteryMv: 2700,
  simulateNormal: () => ({ pressed: false, battery: 95 }),
}
