import { type DeviceTypeDefinition, NOT_NEGATIVE } from './deviceTypeDefinition.js'

export const terminal: DeviceTypeDefinition = {
  type: 'terminal',
  metrics: {
    status: { kind: 'string', description: 'ok | degraded | fault' },
    fault_codes: { kind: 'string', description: 'comma-separated: printer, card_reader, cash_module, screen, network' },
    paper_low: { kind: 'boolean', description: 'receipt paper running low' },
    uptime_sec: { kind: 'number', unit: 's', description: 'terminal uptime', range: NOT_NEGATIVE },
  },
  heartbeatSec: 60,
  // the service standard §4.2.1: a self-service device, 2 business days (tickets.targetBusinessDays)
  ticket: { customerFacing: true },
  simulateNormal: (tick) => ({ status: 'ok', fault_codes: '', paper_low: false, uptime_sec: tick * 10 }),
}
