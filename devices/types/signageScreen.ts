import { type DeviceTypeDefinition, FACILITY_FAULT_METRICS } from './deviceTypeDefinition.js'

/**
 * A signage screen of the hall: it shows the customer notices, so a dead one is repaired, on a
 * target of its own (docs/requirements.md#ticketable-facilities); it has no notice of its own.
 */
export const signageScreen: DeviceTypeDefinition = {
  type: 'signage_screen',
  metrics: {
    status: { kind: 'string', description: 'ok | fault' },
    ...FACILITY_FAULT_METRICS,
  },
  heartbeatSec: 300,
  ticket: { targetBusinessDays: 3, customerFacing: false },
  simulateNormal: () => ({ status: 'ok', fault_active: false, fault_code: 0 }),
}
