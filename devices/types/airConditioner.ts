import { CELSIUS, type DeviceTypeDefinition, FACILITY_FAULT_METRICS } from './deviceTypeDefinition.js'

/**
 * An air-conditioning unit, usually read over Modbus (devices/profiles/air-conditioner-modbus.yaml):
 * the hall kept at a comfortable temperature (the service standard §2.2.3), repaired on a target
 * of its own (docs/requirements.md#ticketable-facilities).
 */
export const airConditioner: DeviceTypeDefinition = {
  type: 'air_conditioner',
  metrics: {
    running: { kind: 'boolean', description: 'compressor / fan running' },
    ...FACILITY_FAULT_METRICS,
    room_temp_c: { kind: 'number', unit: '°C', description: 'return-air (room) temperature', range: CELSIUS },
    setpoint_c: { kind: 'number', unit: '°C', description: 'temperature set point', range: CELSIUS },
  },
  heartbeatSec: 300,
  ticket: { targetBusinessDays: 3, customerFacing: false },
  simulateNormal: (tick) => ({
    running: true,
    fault_active: false,
    fault_code: 0,
    room_temp_c: 24 + (tick % 3) * 0.5,
    setpoint_c: 24,
  }),
}
