import { CELSIUS, type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const heat: DeviceTypeDefinition = {
  type: 'heat',
  metrics: {
    temperature: { kind: 'number', unit: '°C', description: 'air temperature at the detector', range: CELSIUS },
    heat_alarm: { kind: 'boolean', description: 'the detector itself reports heat alarm' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 1800,
  // Same 3 V lithium cells as the smoke detectors, and as much a life-safety device.
  lowBatteryMv: 2700,
  simulateNormal: (tick) => ({ temperature: 24 + (tick % 3) * 0.5, heat_alarm: false, battery: 90 }),
}
