import { CELSIUS, type DeviceTypeDefinition } from './deviceTypeDefinition.js'

export const waterLevel: DeviceTypeDefinition = {
  type: 'water_level',
  metrics: {
    level_cm: { kind: 'number', unit: 'cm', description: 'water level above the floor' },
    temperature: { kind: 'number', unit: '°C', description: 'probe temperature', range: CELSIUS },
  },
  heartbeatSec: 60,
  simulateNormal: (tick) => ({ level_cm: (tick % 4) * 0.1 }),
}
