import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const smoke: DeviceTypeDefinition = {
  type: 'smoke',
  metrics: {
    smoke: { kind: 'boolean', description: 'smoke detected' },
    smoke_density: { kind: 'number', unit: 'dB/m', description: 'obscuration' },
    temperature: { kind: 'number', unit: '°C', description: 'detector temperature' },
    test: { kind: 'boolean', description: 'test button pressed' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 1800,
  simulateNormal: (tick) => ({
    smoke: false,
    battery: 95 - (tick % 5),
    battery_low: false,
    tamper: false,
    linkquality: 120,
  }),
}
