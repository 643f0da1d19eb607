import { type DeviceTypeDefinition, NOT_NEGATIVE, PERCENT } from './deviceTypeDefinition.js'

export const power: DeviceTypeDefinition = {
  type: 'power',
  metrics: {
    mains_ok: { kind: 'boolean', description: 'mains power present' },
    on_battery: { kind: 'boolean', description: 'UPS running on battery' },
    battery_pct: { kind: 'number', unit: '%', description: 'UPS battery charge', range: PERCENT },
    runtime_min: { kind: 'number', unit: 'min', description: 'UPS runtime left', range: NOT_NEGATIVE },
  },
  heartbeatSec: 60,
  simulateNormal: () => ({ mains_ok: true, on_battery: false, battery_pct: 100 }),
}
