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
  simulateNormal: () => ({ pressed: false, loop_ok: true, battery: 97 }),
}
