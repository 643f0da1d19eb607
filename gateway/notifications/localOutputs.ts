import type { NotificationOutputConfig } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import { soundsNothing } from '../core/quietAlarms.js'
import type { OutputArbiter, OutputDrive } from '../outputs/arbiter.js'

interface Held {
  alarm: Alarm
  /** When it was routed (or escalated, or repeated) here: `maxSec` counts from this. */
  sinceMs: number
}

/**
 * Local sirens, strobes and buzzers as notification channels (docs/requirements.md#channels).
 * A route that names an output holds the alarm there; the output sounds
 * while any alarm it holds still wants it (`until`: unacknowledged,
 * condition present, or not closed; at most `maxSec` per alarm), in its own
 * pattern, through the output arbiter — so a fire siren driven by the
 * annunciator is never switched off by a flood route letting go of it.
 * Robbery (docs/requirements.md#robbery): a silent alarm never sounds anything, whatever the config
 * says (the config check refuses such routes too); nor does an escalated complaint
 * (docs/requirements.md#escalated-complaint), though staff see it. Pure state: `tick(now)`
 * does the time work.
 */
export function createLocalOutputs(
  outputs: readonly NotificationOutputConfig[],
  arbiter: Pick<OutputArbiter, 'request'>,
) {
  const byId = new Map(outputs.map((o) => [o.id, o]))
  const held = new Map<string, Map<string, Held>>(outputs.map((o) => [o.id, new Map()]))
  const on = new Map<string, boolean>()

  function wants(output: NotificationOutputConfig, h: Held, now: number): boolean {
    const a = h.alarm
    if (soundsNothing(a)) return false
    if (output.maxSec !== undefined && now - h.sinceMs >= output.maxSec * 1000) return false
    const shelved = a.shelvedUntil !== null
    switch (output.until) {
      case 'ack':
        return a.state === 'active_unacked' && !shelved
      case 'clear':
        return a.conditionActive && !shelved
      case 'closed':
        return a.state !== 'closed'
    }
  }

  function apply(output: NotificationOutputConfig, now: number): void {
    const alarms = held.get(output.id) as Map<string, Held>
    for (const [id, h] of alarms) if (h.alarm.state === 'closed') alarms.delete(id)
    const sounding = [...alarms.values()].some((h) => wants(output, h, now))
    if (on.get(output.id) === sounding) return
    on.set(output.id, sounding)
    const drive: OutputDrive =
      output.pulseOnMs === undefined
        ? {}
        : { pulse: { onMs: output.pulseOnMs, offMs: output.pulseOffMs ?? output.pulseOnMs } }
    for (const deviceId of output.devices) arbiter.request(`notify:${output.id}`, deviceId, sounding ? drive : null)
  }

  return {
    /** Is this channel id a local output? */
    has: (id: string) => byId.has(id),

    /** `alarm` was routed, escalated or repeated to output `id` at `now`. */
    hold(id: string, alarm: Alarm, now: number): void {
      const output = byId.get(id)
      if (output === undefined || soundsNothing(alarm)) return
      held.get(id)?.set(alarm.id, { alarm, sinceMs: now })
      apply(output, now)
    },

    /** Any alarm change: outputs holding it follow its new state. */
    onAlarm(alarm: Alarm, now: number): void {
      for (const output of outputs) {
        const h = held.get(output.id)?.get(alarm.id)
        if (h === undefined) continue
        h.alarm = alarm
        apply(output, now)
      }
    },

    /** `maxSec` running out. */
    tick(now: number): void {
      for (const output of outputs) if (output.maxSec !== undefined) apply(output, now)
    },

    /** Whether output `id` is sounding. */
    sounding: (id: string) => on.get(id) === true,
  }
}

export type LocalOutputs = ReturnType<typeof createLocalOutputs>
