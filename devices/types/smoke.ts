import { CELSIUS, type DeviceTypeDefinition, NOT_NEGATIVE, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const smoke: DeviceTypeDefinition = {
  type: 'smoke',
  metrics: {
    smoke: { kind: 'boolean', description: 'smoke detected' },
    smoke_density: { kind: 'number', unit: 'dB/m', description: 'obscuration', range: NOT_NEGATIVE },
    temperature: { kind: 'number', unit: '°C', description: 'detector temperature', range: CELSIUS },
    test: { kind: 'boolean', description: 'test button pressed' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 1800,
  // Zigbee smoke detectors that report a voltage (Xiaomi/Honeywell, Aqara)
  // run on one 3 V lithium cell (CR17450 / CR123A): flat near 3.0 V for years, then a
  // knee at ~2.7 V. A life-safety detector is flagged at the knee, well before it
  // goes dark. A 9 V PP3 alarm needs `lowBatteryMv: 7500` on the device or the type.
  lowBatteryMv: 2700,
  simulateNormal: (tick) => ({
    smoke: false,
    battery: 95 - (tick % 5),
    battery_low: false,
    tamper: false,
    linkquality: 120,
  }),
}
