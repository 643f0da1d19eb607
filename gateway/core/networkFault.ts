import type { LocalizedText } from './alarm.js'

/**
 * A base-station / network fault the centre (or a manager) has declared for this store's area
 * (docs/requirements.md#network-fault). The store cannot see it itself: it learns it from the centre.
 */
export interface NetworkFault {
  /** The centre's id for the fault; a repeat declaration with the same id updates it. */
  readonly id: string
  /** The affected area, e.g. 人民路至解放路一带, in each language. */
  readonly area: LocalizedText
  /** The services affected, e.g. 通话和 4G 上网, in each language. */
  readonly services: LocalizedText
  /** The centre's estimate of when service is back, milliseconds since the epoch; null when not known. */
  readonly expectedRecoveryAt: number | null
}

/**
 * What a store sends the centre when many customers come in at once with the same problem with their
 * phones (docs/requirements.md#network-fault): the common symptoms, where, how many, which numbers
 * and phone models, so the machine room can find the base station.
 */
export interface NetworkFaultReport {
  readonly id: string
  readonly symptoms: string
  readonly area: string
  readonly customers: number
  readonly numbers: readonly string[]
  readonly phoneModels: string | null
  readonly by: string
  readonly at: string
}

/** A store's report, as published on `events` and so through the bridge's durable uplink to the centre. */
export interface NetworkFaultReportEvent {
  readonly type: 'network_fault_report'
  readonly report: NetworkFaultReport
  readonly by: string
  readonly at: string
}
