import { type DeviceTypeDefinition, FACILITY_FAULT_METRICS, NOT_NEGATIVE } from './deviceTypeDefinition.js'

/**
 * A queue-management system (叫号机), one device per counter or per service-type queue
 * (docs/requirements.md#queue): how many wait, the longest wait, and how many counters serve them.
 */
export const queue: DeviceTypeDefinition = {
  type: 'queue',
  metrics: {
    waiting: { kind: 'number', unit: 'people', description: 'customers waiting at the counter', range: NOT_NEGATIVE },
    ...FACILITY_FAULT_METRICS,
    wait_min: { kind: 'number', unit: 'min', description: 'longest waiting time now', range: NOT_NEGATIVE },
    counters_open: {
      kind: 'number',
      unit: 'counters',
      description: 'counters open for this queue; absent: the device is one counter',
      range: NOT_NEGATIVE,
    },
  },
  heartbeatSec: 120,
  // the queue ticket machine is a self-service device (docs/requirements.md#ticketable-facilities)
  ticket: { customerFacing: true },
  simulateNormal: (tick) => ({ waiting: tick % 4, wait_min: (tick % 4) * 2, counters_open: 1 }),
}
