import { type DeviceTypeDefinition, FACILITY_FAULT_METRICS, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const door: DeviceTypeDefinition = {
  type: 'door',
  metrics: {
    contact: { kind: 'boolean', description: 'true when the door is closed (zigbee2mqtt convention)' },
    ...ZIGBEE_COMMON_METRICS,
    // an automatic door's controller reports its own fault (docs/requirements.md#ticketable-facilities)
    ...FACILITY_FAULT_METRICS,
  },
  heartbeatSec: 7200,
  // CR1632 / CR2032 or 2×AAA, as the leak sensors, and not life-safety either.
  lowBatteryMv: 2500,
  // a door that will not close or lock leaves the hall open at night: a short target
  ticket: { targetBusinessDays: 1, customerFacing: false },
  simulateNormal: () => ({ contact: true, battery: 92 }),
}
