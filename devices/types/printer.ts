import { type DeviceTypeDefinition, FACILITY_FAULT_METRICS } from './deviceTypeDefinition.js'

/**
 * A self-service statement / invoice printer (自助清单打印机): a self-service device, so repaired
 * within the stores' 2 business days (docs/requirements.md#ticketable-facilities), with a notice for customers.
 */
export const printer: DeviceTypeDefinition = {
  type: 'printer',
  metrics: {
    status: { kind: 'string', description: 'ok | fault' },
    ...FACILITY_FAULT_METRICS,
    paper_low: { kind: 'boolean', description: 'paper running low' },
  },
  heartbeatSec: 300,
  ticket: { customerFacing: true },
  simulateNormal: () => ({ status: 'ok', fault_active: false, fault_code: 0, paper_low: false }),
}
