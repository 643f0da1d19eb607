import type { Intent } from '../gateway/core/intent.js'
import { HELD_OFF, HELD_ON, type HeldCondition, type Level, levelOf, nextHeld } from './heldCondition.js'
import {
  preprocessNotice,
  type QueueNow,
  queueNow,
  queuePreprocessKey,
  queueWaitKey,
  waitAlarm,
} from './queueIntents.js'
import type { QueueSettings } from './queueSettings.js'
import type { DeviceInfo, Rule, RuleView } from './rule.js'

export { queuePreprocessKey, queueWaitKey } from './queueIntents.js'
export { QueueSettings } from './queueSettings.js'

interface QueueState {
  /** null until the first report after a start settles it (a notice may survive a restart). */
  preprocess: HeldCondition | null
  wait: HeldCondition
  /** The English text the notice / alarm was last posted with, so a repeat changes nothing. */
  noticeShown: string | null
  alarmShown: string | null
}

/**
 * Queue pre-processing and the waiting-time target (docs/requirements.md#queue): the service
 * standard §4.3.1 and §5.2. More than `preprocessPerCounter` customers per open counter for
 * `holdSec` posts a staff notice to start pre-processing; a longest wait above `waitTargetMin`
 * for `holdSec` raises a `queue_wait` warning, non-latching, for the duty manager's route. Each
 * ends after `clearHoldSec` back under its threshold less its hysteresis. Only while the store is
 * open: at closing both end, and nothing starts until it opens. Evaluated on the tick, so a
 * report's metrics (which arrive one reading each) are judged together.
 */
export function createQueueRule(settings: QueueSettings): Rule {
  const hold = { onMs: settings.holdSec * 1000, offMs: settings.clearHoldSec * 1000 }
  const states = new Map<string, QueueState>()

  /** Lazily; an open wait alarm from before a restart is adopted, so it can clear. */
  function stateOf(deviceId: string, view: RuleView): QueueState {
    let state = states.get(deviceId)
    if (!state) {
      const alarm = view.openAlarm(queueWaitKey(deviceId))
      const wait = alarm?.conditionActive === true ? HELD_ON : HELD_OFF
      state = { preprocess: null, wait, noticeShown: null, alarmShown: wait.on ? (alarm?.messages.en ?? null) : null }
      states.set(deviceId, state)
    }
    return state
  }

  function evaluate(device: DeviceInfo, view: RuleView): Intent[] {
    const state = stateOf(device.id, view)
    const now = view.now()
    if (!view.isOpen(now)) return closeDown(device.id, state)
    const queue = queueNow(device.id, view)
    return [...preprocess(device, state, queue, now, view), ...wait(device, state, queue, now, view)]
  }

  function preprocess(device: DeviceInfo, state: QueueState, queue: QueueNow, now: number, view: RuleView): Intent[] {
    const key = queuePreprocessKey(device.id)
    if (queue.waiting === undefined) return []
    const perCounter = queue.waiting / Math.max(1, queue.counters)
    const level = levelOf(perCounter, settings.preprocessPerCounter, settings.preprocessHysteresis)
    const was = state.preprocess
    // the first report after a start settles a notice that may have outlived the restart
    state.preprocess = was === null ? (level === 'over' ? HELD_ON : HELD_OFF) : nextHeld(was, level, now, hold)
    if (!state.preprocess.on) {
      if (was?.on === false) return []
      state.noticeShown = null
      return [{ type: 'withdraw_notice', key }]
    }
    // while it is up, the notice follows a growing queue; a shrinking one leaves it as it was posted
    if (was?.on === true && level !== 'over') return []
    const notice = preprocessNotice(device, queue.waiting, queue.counters, view)
    if (notice.texts.en === state.noticeShown) return []
    state.noticeShown = notice.texts.en
    return [notice]
  }

  function wait(device: DeviceInfo, state: QueueState, queue: QueueNow, now: number, view: RuleView): Intent[] {
    const level: Level =
      queue.waitMin === undefined ? 'under' : levelOf(queue.waitMin, settings.waitTargetMin, settings.waitHysteresisMin)
    const was = state.wait
    state.wait = nextHeld(was, level, now, hold)
    if (!state.wait.on) {
      if (!was.on) return []
      state.alarmShown = null
      return [{ type: 'clear', key: queueWaitKey(device.id) }]
    }
    const raise = waitAlarm(device, queue, settings.waitTargetMin, view)
    if (raise.messages.en === state.alarmShown) return []
    state.alarmShown = raise.messages.en
    return [raise]
  }

  /** Outside opening hours nothing is posted or raised; what is up ends (docs/requirements.md#queue). */
  function closeDown(deviceId: string, state: QueueState): Intent[] {
    const intents: Intent[] = []
    if (state.preprocess?.on !== false) intents.push({ type: 'withdraw_notice', key: queuePreprocessKey(deviceId) })
    if (state.wait.on) intents.push({ type: 'clear', key: queueWaitKey(deviceId) })
    Object.assign(state, { preprocess: HELD_OFF, wait: HELD_OFF, noticeShown: null, alarmShown: null })
    return intents
  }

  /** A queue device removed by a reload takes its notice and alarm with it. */
  function forget(present: ReadonlySet<string>): Intent[] {
    const gone = [...states.keys()].filter((id) => !present.has(id))
    return gone.flatMap((id) => {
      const intents = closeDown(id, states.get(id) as QueueState)
      states.delete(id)
      return intents
    })
  }

  return {
    id: 'queue',
    watches: ['queue'],
    // judged on the next tick (≤ 1 s), once every metric of the report is in
    onReading: () => [],
    onTick(view): readonly Intent[] {
      const devices = view.devices({ type: 'queue' })
      return [...devices.flatMap((d) => evaluate(d, view)), ...forget(new Set(devices.map((d) => d.id)))]
    },
  }
}
