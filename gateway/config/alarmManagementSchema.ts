import { type Static, Type as T } from '@sinclair/typebox'

/** ISA-18.2 / EEMUA 191 alarm-management settings. */
export const AlarmManagementSchema = T.Object(
  {
    chatterCycles: T.Integer({
      default: 3,
      minimum: 2,
      description: 'raise/clear cycles within chatterWindowSec that make an input chatter',
    }),
    chatterWindowSec: T.Number({ default: 60, exclusiveMinimum: 0 }),
    chatterSettleSec: T.Number({
      default: 60,
      exclusiveMinimum: 0,
      description: 'quiet this long and a chattering input is trusted again',
    }),
    floodCount: T.Integer({
      default: 10,
      minimum: 2,
      description: 'alarms within floodWindowSec that make an alarm flood',
    }),
    floodWindowSec: T.Number({ default: 600, exclusiveMinimum: 0 }),
    maxShelveSec: T.Number({ default: 8 * 3600, exclusiveMinimum: 0 }),
  },
  { additionalProperties: false, default: {} },
)

export type AlarmManagement = Static<typeof AlarmManagementSchema>
