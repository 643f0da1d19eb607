import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const leak: DeviceTypeDefinition = {
  type: 'leak',
  metrics: {
    water_leak: { kind: 'boolean', description: 'contact is wet' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 3600,
  // CR2032 (Aqara) or 2×AAA alkaline (Tuya): 2.5 V is a coin cell near its end and
  // 1.25 V a cell for alkalines, which sag in cold backrooms and would raise nuisance
  // faults at a coin cell's knee; a leak sensor is not life-safety.
  lowBatteryMv: 2500,
  simulateNormal: () => ({ water_leak: false, battery: 88, tamper: false }),
}
