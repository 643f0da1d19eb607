import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import { DEVICE_TYPES, type DeviceType } from '../core/reading.js'

/** The device types whose faults get a repair ticket, in registry order (docs/requirements.md#ticketable-facilities). */
export const TICKETABLE_TYPES: readonly DeviceType[] = DEVICE_TYPES.filter(
  (type) => DEVICE_TYPE_DEFINITIONS[type].ticket !== undefined,
)

/**
 * A ticket's repair target in business days (docs/requirements.md#ticketable-facilities): the store's
 * own for the device type (`tickets.targetBusinessDaysByType`), else the type's shipped one, else
 * `tickets.targetBusinessDays` — the self-service devices' 2 business days (the service standard
 * §4.2.1), which is also the target of a ticket staff open by hand (`type` null).
 */
export function targetBusinessDays(
  type: DeviceType | null,
  config: Pick<TicketsConfig, 'targetBusinessDays' | 'targetBusinessDaysByType'>,
): number {
  if (type === null) return config.targetBusinessDays
  return (
    config.targetBusinessDaysByType[type] ??
    DEVICE_TYPE_DEFINITIONS[type].ticket?.targetBusinessDays ??
    config.targetBusinessDays
  )
}
