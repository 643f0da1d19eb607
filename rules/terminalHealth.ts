import type { RuleView } from './rule.js'

/** What a terminal's latest values say. */
export interface TerminalHealth {
  readonly fault: boolean
  /** Codes that stop customers (not in `warningCodes`), as reported. */
  readonly faultCodes: readonly string[]
  /** Warning codes, `paper_low`, or `degraded` when that is all the terminal says. */
  readonly warnings: readonly string[]
}

export function terminalHealth(deviceId: string, view: RuleView, warningCodes: readonly string[]): TerminalHealth {
  const status = view.latest(deviceId, 'status')?.value
  const raw = view.latest(deviceId, 'fault_codes')?.value
  const codes = [...new Set(typeof raw === 'string' ? raw.split(',').map((c) => c.trim()) : [])].filter(Boolean)
  const faultCodes = codes.filter((c) => !warningCodes.includes(c))
  const warnings = codes.filter((c) => warningCodes.includes(c))
  if (view.latest(deviceId, 'paper_low')?.value === true && !warnings.includes('paper_low')) warnings.push('paper_low')
  const fault = status === 'fault' || faultCodes.length > 0
  if (!fault && status === 'degraded' && warnings.length === 0) warnings.push('degraded')
  return { fault, faultCodes, warnings }
}
