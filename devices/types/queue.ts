import { type DeviceTypeDefinition, FACILITY_FAULT_METRICS, NOT_NEGATIVE } from './deviceTypeDefinition.js'

export const queue: DeviceTypeDefinition = {
  type: 'queue',
  metrics: {
    waiting: { kind: 'number', unit: 'people', description: 'customers waiting at the counter', range: NOT_NEGATIVE },
    ...FACILITY_FAULT_METRICS,
    wait_min: { kind: 'number', unit: 'min', description: 'estimated waiting time', range: NOT_NEGATIVE },
  },
  heartbeatSec: 120,
  // the queue ticket machine is a self-service device (docs/requirements.md#ticketable-facilities)
  ticket: { customerFacing: true },
  simulateNormal: (tick) => ({ waiting: tick % 4, wait_min: (tick % 4) * 2 }),
}
