import { type Static, Type as T } from '@sinclair/typebox'
import { enabled } from './rule.js'

/** The queue rule's section of `rules` in the config file. */
export const QueueSettings = T.Object(
  {
    enabled,
    preprocessPerCounter: T.Number({
      default: 3,
      minimum: 0,
      description: 'more than this many customers waiting per open counter: staff start pre-processing',
    }),
    preprocessHysteresis: T.Number({
      default: 1,
      minimum: 0,
      description: 'the pre-processing notice ends once customers per counter are this far at or below the threshold',
    }),
    waitTargetMin: T.Number({
      default: 10,
      exclusiveMinimum: 0,
      description: 'a longest wait above this (min) tells the duty manager to open another counter',
    }),
    waitHysteresisMin: T.Number({
      default: 2,
      minimum: 0,
      description: 'the wait alarm clears once the longest wait is this far at or below the target, min',
    }),
    holdSec: T.Number({
      default: 60,
      minimum: 0,
      description: 'over a threshold this long before the notice or alarm',
    }),
    clearHoldSec: T.Number({
      default: 120,
      minimum: 0,
      description: 'back under a threshold this long before the notice is withdrawn or the alarm clears',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type QueueSettings = Static<typeof QueueSettings>
