import type { AlarmFloodEvent } from '../core/events.js'

/**
 * EEMUA 191 / ISA-18.2 alarm flood: `floodCount` or more alarms raised within
 * `floodWindowSec` is more than staff can handle one by one. The detector
 * reports the start of a flood once, with counts by kind for a managers'
 * summary, and its end once the rate has dropped below the threshold.
 */
export function createAlarmFloodDetector(settings: { floodCount: number; floodWindowSec: number }) {
  const windowMs = settings.floodWindowSec * 1000
  let raised: { at: number; kind: string }[] = []
  let flooding = false

  function summary(action: 'started' | 'ended', now: number): AlarmFloodEvent {
    const byKind: Record<string, number> = {}
    for (const r of raised) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1
    return {
      type: 'alarm_flood',
      action,
      count: raised.length,
      windowSec: settings.floodWindowSec,
      byKind,
      at: new Date(now).toISOString(),
    }
  }

  return {
    /** Records one raised alarm; returns the summary when this one starts a flood. */
    raised(kind: string, now: number): AlarmFloodEvent | null {
      raised = raised.filter((r) => now - r.at <= windowMs)
      raised.push({ at: now, kind })
      if (flooding || raised.length < settings.floodCount) return null
      flooding = true
      return summary('started', now)
    },
    /** Returns the end-of-flood summary once the window holds fewer than `floodCount` alarms. */
    tick(now: number): AlarmFloodEvent | null {
      raised = raised.filter((r) => now - r.at <= windowMs)
      if (!flooding || raised.length >= settings.floodCount) return null
      flooding = false
      return summary('ended', now)
    },
  }
}
