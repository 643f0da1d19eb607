import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const panicButton: DeviceTypeDefinition = {
  type: 'panic_button',
  metrics: {
    pressed: { kind: 'boolean', description: 'the panic switch is pressed (latched by the hardware)' },
    action: { kind: 'string', description: 'zigbee2mqtt action, e.g. emergency, single' },
    loop_ok: { kind: 'boolean', description: 'the supervised wiring loop is intact' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 1800,
  // A CR2032 coin cell: ~3.0 V most of its life, past the knee below ~2.7 V, and the
  // radio browns out on transmit around 2.4 V. A dead panic button fails silently at
  // the worst moment, so it is flagged at the knee.
  lowBatteryMv: 2700,
  simulateNormal: () => ({ pressed: false, loop_ok: true, battery: 97 }),
}
