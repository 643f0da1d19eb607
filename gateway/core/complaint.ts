import type { Alarm } from './alarm.js'

/**
 * What makes a complaint "escalated" (docs/requirements.md#escalated-complaint): five or more
 * people complaining together, aggressive behaviour, the press on site. Each situation adds
 * its own steps to the alarm's checklist. User-visible, so snake_case.
 */
export const COMPLAINT_SITUATIONS = ['group', 'aggressive', 'press'] as const
export type ComplaintSituation = (typeof COMPLAINT_SITUATIONS)[number]

/** A member of staff reports an escalated complaint from the console or the API. */
export interface ComplaintReport {
  /** At least one; the order does not matter. */
  readonly situations: readonly ComplaintSituation[]
  /** Where it happens: a zone id. */
  readonly zone: string
  /** What the reporter adds, e.g. "about 8 people, the leader is in a red jacket"; null: nothing. */
  readonly note: string | null
  /** Who reports it: the API user's name. */
  readonly by: string
}

/** What came of a person's report in the rules: how many rules took it, and how many of those failed on it. */
export interface ReportTaken {
  readonly rules: number
  readonly failed: number
}

/**
 * Raising an escalated complaint by hand (docs/requirements.md#escalated-complaint). The contract
 * lives in core so the HTTP API does not import the engine; the composition root passes the real one.
 */
export interface ComplaintDesk {
  /**
   * Raises the alarm, or adds the situations to the zone's open one; returns it. Throws
   * StoreGuardError `rule_disabled` when the store switched the rule off, `rule_failed` when the
   * rule failed on the report (then nothing was raised, whatever alarm the zone already has).
   */
  report(report: ComplaintReport): Alarm
  /** The zone's open escalated complaint, if any. */
  open(zone: string): Alarm | undefined
  /** The zones a report may name: the configured ones and every device's. */
  zones(): ReadonlySet<string>
}
