import { journalChecklist } from '../../rules/checklists/journal.js'
import type { AlarmService } from '../alarms/alarmService.js'
import type { Checklist } from '../core/alarm.js'
import type { RaiseIntent } from '../core/intent.js'
import type { JournalHealth } from '../storage/journal.js'

/** The condition key of the journal fault: one per gateway. */
export const JOURNAL_FAULT_KEY = 'system_fault:journal_unavailable'

export interface JournalFault {
  /** Raises or clears the fault to match `health`; updates the lost count at most once per call. */
  sync(health: JournalHealth): void
}

/**
 * A journal that cannot write is a critical `system_fault`: the alarms still
 * sound, but nothing of them survives a restart until the disk is back, and
 * staff must know that. Cleared (not latched) when the journal writes again.
 */
export function createJournalFault(
  alarms: Pick<AlarmService, 'raise' | 'clear'>,
  // the store's wording (docs/requirements.md#store-texts); the shipped one where no store is configured
  checklist: Checklist = journalChecklist,
  by = 'gateway:journal',
): JournalFault {
  let shownLost = -1
  return {
    sync(health) {
      if (health.up) {
        shownLost = -1
        alarms.clear(JOURNAL_FAULT_KEY, by)
        return
      }
      if (health.lostTotal === shownLost) return
      shownLost = health.lostTotal
      alarms.raise(journalFaultIntent(health, checklist), by)
    },
  }
}

function journalFaultIntent(health: JournalHealth, checklist: Checklist): RaiseIntent {
  const lost =
    health.lostTotal === 0
      ? { 'zh-CN': '', en: '' }
      : {
          'zh-CN': `；内存队列已满，已丢失 ${health.lostTotal} 条记录`,
          en: `; the memory queue overflowed and ${health.lostTotal} records were lost`,
        }
  return {
    type: 'raise',
    key: JOURNAL_FAULT_KEY,
    kind: 'system_fault',
    severity: 'critical',
    latching: false,
    silent: false,
    deviceId: 'gateway',
    zone: 'gateway',
    messages: {
      'zh-CN': `网关记录盘不可写（${health.reason}）：报警仍会鸣响和显示，但暂存于内存${lost['zh-CN']}`,
      en: `Gateway journal disk cannot be written (${health.reason}): alarms still sound and show, but are held in memory${lost.en}`,
    },
    checklist,
    details: {
      fault: 'journal_unavailable',
      cause: health.reason ?? 'unknown',
      memoryOnly: health.memoryOnly,
      lostWrites: health.lostTotal,
      ...Object.fromEntries(Object.entries(health.lost).map(([label, n]) => [`lost_${label}`, n])),
    },
    shelvable: false,
  }
}
