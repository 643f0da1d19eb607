import type { DeviceTypeDefinition } from './deviceTypeDefinition.js'

/** An audible sounder the gateway switches (docs/requirements.md#fire: siren on). Reports its state back. */
export const siren: DeviceTypeDefinition = {
  type: 'siren',
  metrics: { on: { kind: 'boolean', description: 'sounding' } },
  heartbeatSec: 3600,
  simulateNormal: () => ({ on: false }),
}
