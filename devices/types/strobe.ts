import type { DeviceTypeDefinition } from './deviceTypeDefinition.js'

/** A visual alarm light the gateway switches (docs/requirements.md#fire: strobe on). Reports its state back. */
export const strobe: DeviceTypeDefinition = {
  type: 'strobe',
  metrics: { on: { kind: 'boolean', description: 'flashing' } },
  heartbeatSec: 3600,
  simulateNormal: () => ({ on: false }),
}
