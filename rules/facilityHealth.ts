import type { RuleView } from './rule.js'

/**
 * What a ticketable facility's latest values say (docs/requirements.md#ticketable-facilities): in
 * fault when its `fault_active` is true, its `status` is `fault`, or its `fault_code` is not 0 or empty.
 */
export interface FacilityHealth {
  readonly fault: boolean
  /** The device's own code, as reported; empty when it gave none. */
  readonly code: string
}

export function facilityHealth(deviceId: string, view: RuleView): FacilityHealth {
  const raw = view.latest(deviceId, 'fault_code')?.value
  const code = raw === undefined || raw === 0 || raw === false ? '' : String(raw).trim()
  const hasCode = code !== '' && code !== '0'
  const fault =
    view.latest(deviceId, 'fault_active')?.value === true ||
    view.latest(deviceId, 'status')?.value === 'fault' ||
    hasCode
  return { fault, code: hasCode ? code : '' }
}
