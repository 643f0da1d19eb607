import { type Static, Type as T } from '@sinclair/typebox'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { customerNoticeTexts } from './facilityTexts.js'
import { enabled, type Rule, type RuleView } from './rule.js'
import { terminalHealth } from './terminalHealth.js'
import { faultMessages, nameOf, warningPhrases } from './terminalTexts.js'

export { type TerminalHealth, terminalHealth } from './terminalHealth.js'
export { TERMINAL_CUSTOMER_NOTICE } from './terminalTexts.js'

/** One fault alarm, one customer notice and one ticket per terminal and fault episode (docs/requirements.md#repair-tickets). */
export const terminalFaultKey = (deviceId: string): string => `terminal_fault:${deviceId}`
/** The staff notice for warnings such as paper-low. */
export const terminalWarningKey = (deviceId: string): string => `terminal_warning:${deviceId}`

interface Episode {
  /** Comma-joined fault codes the alarm shows; kept, not refreshed from stale data, while offline. */
  codes: string
  offline: boolean
  /** When the terminal became healthy again (ms); null while faulty or offline. */
  healthySince: number | null
  /** What the alarm was last raised with; null after a restart, so the next evaluation refreshes it. */
  shown: string | null
  /** The episode's one ticket request is still to be made (on the next tick, see `ticketIfDue`). */
  ticketDue: boolean
  /** The customer notice as last posted (both languages joined); null: to post on the next tick. */
  notice: string | null
}

interface TerminalState {
  /** The device's zone, for notices and alarms of a terminal missing from the device list. */
  readonly zone: string
  episode: Episode | null
  /** Comma-joined warnings the staff notice shows; '' when none is posted. */
  warnings: string
}

/** The terminal fault rule's section of `rules` in the config file. */
export const TerminalFaultSettings = T.Object(
  {
    enabled,
    settleSec: T.Number({ default: 120, minimum: 0, description: 'healthy this long before a fault clears' }),
    warningCodes: T.Array(T.String(), {
      default: ['paper_low', 'ink_low', 'cash_low', 'card_stock_low'],
      description: 'codes that only tell staff, never customers',
    }),
  },
  { additionalProperties: false, default: {} },
)
export type TerminalFaultSettings = Static<typeof TerminalFaultSettings>

/**
 * Terminal fault and its repair ticket (docs/requirements.md#terminal-fault, docs/requirements.md#repair-tickets):
 * the service standard §4.2.1 and the emergency plan's 营业服务设施.
 * A terminal reporting fault codes, or silent past its heartbeat, opens a fault
 * episode: a `terminal_fault` major alarm, a polite customer notice on that
 * terminal and one repair ticket request. Repeats update the alarm only. The
 * episode ends after the terminal is healthy for `settleSec`. Warnings such as
 * paper-low only tell staff.
 */
export function createTerminalFaultRule(settings: TerminalFaultSettings): Rule {
  const { warningCodes, settleSec } = settings
  const states = new Map<string, TerminalState>()

  /** Lazily, and after a restart from the open alarm, so a journaled episode is not opened twice. */
  function stateOf(deviceId: string, zone: string, view: RuleView): TerminalState {
    let state = states.get(deviceId)
    if (!state) {
      const alarm = view.openAlarm(terminalFaultKey(deviceId))
      const open = alarm !== undefined && alarm.conditionActive !== false
      const offline = alarm?.details?.offline === true
      const codes = String(alarm?.details?.faultCodes ?? '')
      const episode = open ? { codes, offline, healthySince: null, shown: null, ticketDue: false, notice: null } : null
      state = { zone: view.device(deviceId)?.zone ?? zone, episode, warnings: '' }
      states.set(deviceId, state)
    }
    return state
  }

  return {
    id: 'terminalFault',
    watches: ['terminal'],
    onReading(reading, view): readonly Intent[] {
      const id = reading.deviceId
      const state = stateOf(id, reading.zone, view)
      const health = terminalHealth(id, view, warningCodes)
      const intents = warningIntents(id, state, health.warnings, view)
      const episode = state.episode
      if (health.fault) {
        const codes = health.faultCodes.join(',')
        if (!episode) {
          state.episode = { codes, offline: false, healthySince: null, shown: null, ticketDue: true, notice: null }
          return [...intents, ...openEpisode(id, state, state.episode, view), ...noticeIfChanged(id, view)]
        }
        // Back from offline with a fault: the same episode goes on, no second ticket.
        episode.codes = codes
        episode.offline = false
        episode.healthySince = null
        return [...intents, ...refresh(id, state, episode, view)]
      }
      if (episode) {
        episode.offline = false
        episode.healthySince ??= view.now()
      }
      return intents
    },
    onTick(view): readonly Intent[] {
      return view.devices({ type: 'terminal' }).flatMap(({ id, zone }) => {
        const state = stateOf(id, zone, view)
        const opened = supervise(id, state, view)
        return [...opened, ...ticketIfDue(id, state, view), ...noticeIfChanged(id, view), ...settle(id, state, view)]
      })
    },
  }

  /**
   * docs/requirements.md#customer-notices-say-when: the customer notice on the terminal says when it should be back (its
   * ticket's due time, once the ticket is open) and names another terminal that is up, else the
   * counter; posted again whenever that changes.
   */
  function noticeIfChanged(id: string, view: RuleView): Intent[] {
    const state = states.get(id)
    const episode = state?.episode
    if (!state || !episode) return []
    const opening = view.texts.text('terminal.customerNotice', { terminal: nameOf(id, view) })
    const texts = customerNoticeTexts(view, id, opening, otherWorkingTerminal(id, view))
    const joined = `${texts['zh-CN']}\n${texts.en}`
    if (joined === episode.notice) return []
    episode.notice = joined
    const key = terminalFaultKey(id)
    return [{ type: 'notice', key, audience: 'customer', zone: state.zone, deviceId: id, texts, endsAt: null }]
  }

  /** Another terminal of the store that is neither in a fault episode nor silent past its heartbeat. */
  function otherWorkingTerminal(id: string, view: RuleView): string | null {
    const up = view.devices({ type: 'terminal' }).find((d) => {
      if (d.id === id || states.get(d.id)?.episode) return false
      if (view.openAlarm(terminalFaultKey(d.id))?.conditionActive) return false
      return view.now() - (view.lastSeen(d.id) ?? view.startedAt) <= view.heartbeatSec(d.id) * 1000
    })
    return up === undefined ? null : nameOf(up.id, view)
  }

  /** Healthy (not faulty, not offline) for `settleSec` ends the episode. */
  function settle(id: string, state: TerminalState, view: RuleView): Intent[] {
    const since = state.episode?.healthySince
    if (typeof since !== 'number' || view.now() - since < settleSec * 1000) return []
    state.episode = null
    const key = terminalFaultKey(id)
    return [
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ]
  }

  /** Staff notice for warnings, posted or updated when they change and withdrawn when they are gone. */
  function warningIntents(id: string, state: TerminalState, warnings: readonly string[], view: RuleView): Intent[] {
    const joined = warnings.join(',')
    if (joined === state.warnings) return []
    state.warnings = joined
    const key = terminalWarningKey(id)
    if (joined === '') return [{ type: 'withdraw_notice', key }]
    return [
      {
        type: 'notice',
        key,
        audience: 'staff',
        zone: state.zone,
        deviceId: id,
        texts: view.texts.text('terminal.warningNotice', {
          terminal: nameOf(id, view),
          warnings: warningPhrases(warnings),
        }),
        endsAt: null,
      },
    ]
  }
}

/** docs/requirements.md#terminal-fault: heard from within its heartbeat, or offline. Offline opens an episode, or joins the open one. */
function supervise(id: string, state: TerminalState, view: RuleView): Intent[] {
  const silentMs = view.now() - (view.lastSeen(id) ?? view.startedAt)
  if (silentMs <= view.heartbeatSec(id) * 1000 || state.episode?.offline) return []
  if (!state.episode) {
    state.episode = { codes: '', offline: true, healthySince: null, shown: null, ticketDue: true, notice: null }
    return openEpisode(id, state, state.episode, view)
  }
  // Offline hides sub-faults: the codes already shown are kept, never re-read from stale values.
  state.episode.offline = true
  state.episode.healthySince = null
  return refresh(id, state, state.episode, view)
}

/**
 * A new episode: the alarm, at once (the service standard §4.2.1, docs/requirements.md#terminal-fault); the customer
 * notice follows in the same pass (`noticeIfChanged`).
 */
function openEpisode(id: string, state: TerminalState, episode: Episode, view: RuleView): Intent[] {
  const raise = raiseFor(id, state.zone, episode, view)
  episode.shown = raise.messages.en
  return [raise]
}

/**
 * docs/requirements.md#repair-tickets: one ticket request per episode. It waits for the next tick (≤ 1 s)
 * because a report arrives as one reading per metric — `status: fault` before
 * `fault_codes` — and the ticket must carry the whole report's codes.
 */
function ticketIfDue(id: string, state: TerminalState, view: RuleView): Intent[] {
  const episode = state.episode
  if (!episode?.ticketDue) return []
  episode.ticketDue = false
  return [
    {
      type: 'ticket_request',
      deviceId: id,
      alarmKey: terminalFaultKey(id),
      faultCodes: episode.codes === '' ? [] : episode.codes.split(','),
      reason: raiseFor(id, state.zone, episode, view).messages,
    },
  ]
}

/** Updates the alarm when what it says has changed; a repeated report changes nothing. */
function refresh(id: string, state: TerminalState, episode: Episode, view: RuleView): Intent[] {
  const raise = raiseFor(id, state.zone, episode, view)
  if (raise.messages.en === episode.shown) return []
  episode.shown = raise.messages.en
  return [raise]
}

function raiseFor(id: string, zone: string, episode: Episode, view: RuleView): RaiseIntent {
  const name = nameOf(id, view)
  return {
    type: 'raise',
    key: terminalFaultKey(id),
    kind: 'terminal_fault',
    severity: 'major',
    latching: false,
    silent: false,
    deviceId: id,
    zone,
    messages: faultMessages(name, view.zoneName(zone), episode, view.heartbeatSec(id)),
    checklist: view.texts.checklist('terminal.checklist'),
    details: { faultCodes: episode.codes, offline: episode.offline },
    shelvable: true,
  }
}
