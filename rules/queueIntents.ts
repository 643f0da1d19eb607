import type { NoticeIntent, RaiseIntent } from '../gateway/core/intent.js'
import type { DeviceInfo, RuleView } from './rule.js'

/**
 * What the queue rule posts and raises (docs/requirements.md#queue), worded from the store texts
 * `queue.preprocessNotice`, `queue.waitMessage` and `queue.waitChecklist`. The rule decides when;
 * this module only says what.
 */

/** One pre-processing staff notice per queue device: a counter or a service-type queue. */
export const queuePreprocessKey = (deviceId: string): string => `queue_preprocess:${deviceId}`
/** One wait-over-target alarm per queue device, for the duty manager's route. */
export const queueWaitKey = (deviceId: string): string => `queue_wait:${deviceId}`

/** What a queue device says now; a metric it has not reported is undefined. */
export interface QueueNow {
  readonly waiting: number | undefined
  /** Open counters serving it; a device that does not say is one counter. */
  readonly counters: number
  readonly waitMin: number | undefined
}

export function queueNow(deviceId: string, view: RuleView): QueueNow {
  const number = (metric: string): number | undefined => {
    const value = view.latest(deviceId, metric)?.value
    return typeof value === 'number' ? value : undefined
  }
  return { waiting: number('waiting'), counters: number('counters_open') ?? 1, waitMin: number('wait_min') }
}

/** The staff notice to start pre-processing (the service standard §4.3.1). */
export function preprocessNotice(device: DeviceInfo, waiting: number, counters: number, view: RuleView): NoticeIntent {
  return {
    type: 'notice',
    key: queuePreprocessKey(device.id),
    audience: 'staff',
    zone: device.zone,
    deviceId: device.id,
    texts: view.texts.text('queue.preprocessNotice', {
      queue: device.name,
      zone: view.zoneName(device.zone),
      waiting: String(waiting),
      counters: String(counters),
    }),
    endsAt: null,
  }
}

/** The duty manager's `queue_wait` warning: the longest wait is over the target (the service standard §5.2). */
export function waitAlarm(device: DeviceInfo, queue: QueueNow, targetMin: number, view: RuleView): RaiseIntent {
  const waitMin = Math.round((queue.waitMin ?? 0) * 10) / 10
  return {
    type: 'raise',
    key: queueWaitKey(device.id),
    kind: 'queue_wait',
    severity: 'warning',
    latching: false,
    silent: false,
    deviceId: device.id,
    zone: device.zone,
    messages: view.texts.text('queue.waitMessage', {
      queue: device.name,
      zone: view.zoneName(device.zone),
      waitMin: String(waitMin),
      targetMin: String(targetMin),
    }),
    checklist: view.texts.checklist('queue.waitChecklist'),
    details: {
      waitMin,
      targetMin,
      ...(queue.waiting === undefined ? {} : { waiting: queue.waiting }),
      countersOpen: queue.counters,
    },
    shelvable: true,
  }
}
