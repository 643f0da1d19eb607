import { type Static, Type as T } from '@sinclair/typebox'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { Reading } from '../gateway/core/reading.js'
import { enabled, type Rule, type RuleView } from './rule.js'

/** One robbery alarm per panic button, so each button's press is its own record. */
export const robberyKey = (deviceId: string): string => `robbery:${deviceId}`

/** zigbee2mqtt `action` values that mean the panic button was pressed. */
export const PANIC_ACTIONS: ReadonlySet<string> = new Set(['emergency', 'sos', 'panic'])

type Trigger = 'pressed' | 'action' | 'loop_cut'

/** The robbery rule's section of `rules` in the config file: it has no settings but `enabled`. */
export const RobberySettings = T.Object({ enabled }, { additionalProperties: false, default: {} })
export type RobberySettings = Static<typeof RobberySettings>

/**
 * Robbery (docs/requirements.md#robbery): a pressed panic button, or a cut panic loop (docs/requirements.md#gpio:
 * an open loop is an alarm, not silence) → `robbery` critical, **silent**,
 * latching; only a manager may reset it, with a note; never shelved.
 *
 * Silent means this rule returns only raise and clear intents: never an output
 * (siren, strobe) nor a notice, so nothing in the store tells the robbers.
 * Tamper on panic hardware is a device fault (rules/deviceHealth.ts), not robbery.
 */
export function createRobberyRule(_settings: RobberySettings): Rule {
  return {
    id: 'robbery',
    watches: ['panic_button'],
    onReading(reading, view): readonly Intent[] {
      const { metric, value } = reading
      if (metric === 'pressed') {
        if (value === true) return [raise(reading, 'pressed', view)]
        if (value === false) return clearIfReleased(reading.deviceId, view)
      }
      if (metric === 'loop_ok') {
        if (value === false) return [raise(reading, 'loop_cut', view)]
        if (value === true) return clearIfReleased(reading.deviceId, view)
      }
      if (metric === 'action' && typeof value === 'string' && PANIC_ACTIONS.has(value)) {
        // A zigbee2mqtt action is an event, not a state: no "released" ever follows it.
        // The alarm latches, so clearing the condition at once keeps it open until a
        // manager resets it — and lets that reset succeed.
        return stillHeld(reading.deviceId, view)
          ? [raise(reading, 'action', view)]
          : [raise(reading, 'action', view), { type: 'clear', key: robberyKey(reading.deviceId) }]
      }
      return []
    },
  }
}

/** True while the button is still held down or its loop is still cut. */
function stillHeld(deviceId: string, view: RuleView): boolean {
  return view.latest(deviceId, 'pressed')?.value === true || view.latest(deviceId, 'loop_ok')?.value === false
}

/** Clearing only records that the condition is gone; the latched alarm stays until a manager resets it. */
function clearIfReleased(deviceId: string, view: RuleView): readonly Intent[] {
  const key = robberyKey(deviceId)
  const alarm = view.openAlarm(key)
  if (!alarm || alarm.conditionActive === false || stillHeld(deviceId, view)) return []
  return [{ type: 'clear', key }]
}

function raise(reading: Reading, trigger: Trigger, view: RuleView): RaiseIntent {
  const name = view.device(reading.deviceId)?.name ?? reading.deviceId
  const where = view.zoneName(reading.zone)
  const pressed = trigger !== 'loop_cut' || view.latest(reading.deviceId, 'pressed')?.value === true
  const loopCut = trigger === 'loop_cut' || view.latest(reading.deviceId, 'loop_ok')?.value === false
  const zh = [pressed ? '被按下' : '', loopCut ? '报警回路断开（线路可能被剪断）' : ''].filter(Boolean).join('，')
  const en = [pressed ? 'pressed' : '', loopCut ? 'its alarm loop is cut' : ''].filter(Boolean).join('; ')
  return {
    type: 'raise',
    key: robberyKey(reading.deviceId),
    kind: 'robbery',
    severity: 'critical',
    latching: true,
    silent: true, // robbery (docs/requirements.md#robbery): no local siren, no customer notice
    deviceId: reading.deviceId,
    zone: reading.zone,
    messages: {
      'zh-CN': `抢劫报警：报警按钮 ${name}（${where['zh-CN']}）${zh}`,
      en: `Robbery: panic button ${name} in ${where.en}: ${en}`,
    },
    checklist: view.texts.checklist('robbery.checklist'),
    details: { trigger, loopCut },
    resetPolicy: { role: 'manager', noteRequired: true },
    shelvable: false,
  }
}
