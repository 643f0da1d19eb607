import { type Static, Type as T } from '@sinclair/typebox'
import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import { DEVICE_TYPES } from '../core/reading.js'
import { enumOf } from '../core/schemaHelpers.js'

const hhmm = T.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'local time HH:MM' })
const isoDate = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date YYYY-MM-DD in the store time zone' })

/** One opening interval, in the store's time zone; several a day allow a lunch break. */
export const OpeningIntervalSchema = T.Object({ open: hhmm, close: hhmm }, { additionalProperties: false })
export const OpeningHoursSchema = T.Array(OpeningIntervalSchema, {
  description: 'opening intervals of a day, in order; empty when closed',
})

/** Days that differ from the weekly hours: a closure (no intervals) or special hours. */
export const SpecialDaySchema = T.Object(
  { date: isoDate, hours: OpeningHoursSchema, reason: T.Optional(T.String()) },
  { additionalProperties: false },
)

/**
 * docs/requirements.md#ticketable-facilities: a store's own repair target per ticketable device type,
 * over the type's shipped one; a type that gets no tickets is refused, naming it.
 */
function TargetsByTypeSchema() {
  const ticketable = DEVICE_TYPES.filter((type) => DEVICE_TYPE_DEFINITIONS[type].ticket !== undefined)
  const days = T.Number({ exclusiveMinimum: 0, description: 'business days' })
  return T.Partial(
    T.Object(Object.fromEntries(ticketable.map((type) => [type, days])) as Record<string, typeof days>),
    {
      additionalProperties: false,
      default: {},
      description: 'repair target in business days per ticketable device type, over its shipped default',
    },
  )
}

/**
 * Repair tickets and their SLA clock (docs/requirements.md#business-hours-clock; the service standard §4.2.1, docs/requirements.md#terminal-fault: self-service
 * devices repaired within 2 business days; the emergency plan (docs/requirements.md#terminal-fault): removed from the hall
 * after a week).
 */
export const TicketsSchema = T.Object(
  {
    calendar: enumOf(['store', 'cn-workdays'] as const, {
      default: 'store',
      description: "store: the store's own opening hours (营业日); cn-workdays: mainland China statutory working days",
    }),
    targetBusinessDays: T.Number({
      exclusiveMinimum: 0,
      default: 2,
      description:
        'service standard §4.2.1: self-service devices repaired within 2 business days; the target of every ticketable type without its own, and of tickets opened by hand',
    }),
    targetBusinessDaysByType: TargetsByTypeSchema(),
    workdayHours: T.Array(OpeningIntervalSchema, {
      default: [{ open: '09:00', close: '18:00' }],
      description: 'cn-workdays: the hours of a working day',
    }),
    businessDayHours: T.Optional(
      T.Number({
        exclusiveMinimum: 0,
        maximum: 24,
        description: 'length of one business day; default: the most common opening length of the week',
      }),
    ),
    holidayOverrides: T.Optional(
      T.String({
        description:
          'cn-workdays: a JSON file {"holidays": [dates], "workdays": [dates]} that wins over the shipped data',
      }),
    ),
    remindAt: T.Array(T.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), {
      default: [0.5, 0.8],
      description: 'fractions of the SLA at which maintenance is reminded',
    }),
    removeAfterDays: T.Number({
      exclusiveMinimum: 0,
      default: 7,
      description: 'emergency plan (docs/requirements.md#terminal-fault): remove an unrepaired terminal from the hall',
    }),
    autoResolve: T.Boolean({ default: false, description: 'resolve when the terminal has been healthy for settleSec' }),
    settleSec: T.Number({ minimum: 0, default: 600 }),
    preOpeningReportMin: T.Number({
      minimum: 0,
      default: 30,
      description: 'service standard §5.1 (docs/requirements.md#store-opening): health report this long before opening',
    }),
  },
  { additionalProperties: false, default: {} },
)

export type TicketsConfig = Static<typeof TicketsSchema>
export type OpeningInterval = Static<typeof OpeningIntervalSchema>
export type SpecialDay = Static<typeof SpecialDaySchema>
