import type { LocalizedText } from '../gateway/core/alarm.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { terminalChecklist } from './checklists/terminal.js'
import type { Rule, RuleView } from './rule.js'
import type { RuleSettings } from './rulesSchema.js'

/** One fault alarm, one customer notice and one ticket per terminal and fault episode (docs/requirements.md#repair-tickets). */
export const terminalFaultKey = (deviceId: string): string => `terminal_fault:${deviceId}`
/** The staff notice for warnings such as paper-low. */
export const terminalWarningKey = (deviceId: string): string => `terminal_warning:${deviceId}`

const CODE_NAMES: Readonly<Record<string, LocalizedText>> = {
  printer: { 'zh-CN': '打印机', en: 'printer' },
  card_reader: { 'zh-CN': '读卡器', en: 'card reader' },
  cash_module: { 'zh-CN': '现金模块', en: 'cash module' },
  screen: { 'zh-CN': '屏幕', en: 'screen' },
  network: { 'zh-CN': '网络', en: 'network' },
}

const WARNING_TEXTS: Readonly<Record<string, LocalizedText>> = {
  paper_low: { 'zh-CN': '打印纸将用完，请及时补充', en: 'paper low, please refill' },
  ink_low: { 'zh-CN': '墨粉将用完，请及时更换', en: 'ink low, please replace' },
  cash_low: { 'zh-CN': '现金将用完，请及时补充', en: 'cash low, please refill' },
  card_stock_low: { 'zh-CN': '卡量不足，请及时补充', en: 'card stock low, please refill' },
  degraded: { 'zh-CN': '运行降级，请检查', en: 'degraded, please check' },
}

/** The service-language rules (docs/requirements.md#service-language) 二十四/二十五 service language: apologise, say it is being repaired, offer another way. */
export const TERMINAL_CUSTOMER_NOTICE: LocalizedText = {
  'zh-CN': '抱歉，本机正在维修中，我们正在尽快修复。请您移步其他自助终端或人工柜台办理，给您带来不便敬请谅解。',
  en: 'Sorry, this machine is being repaired; we are fixing it as fast as we can. Please use another self-service terminal or a counter. We apologise for the inconvenience.',
}

/** What a terminal's latest values say. */
export interface TerminalHealth {
  readonly fault: boolean
  /** Codes that stop customers (not in `warningCodes`), as reported. */
  readonly faultCodes: readonly string[]
  /** Warning codes, `paper_low`, or `degraded` when that is all the terminal says. */
  readonly warnings: readonly string[]
}

export function terminalHealth(deviceId: string, view: RuleView, warningCodes: readonly string[]): TerminalHealth {
  const status = view.latest(deviceId, 'status')?.value
  const raw = view.latest(deviceId, 'fault_codes')?.value
  const codes = [...new Set(typeof raw === 'string' ? raw.split(',').map((c) => c.trim()) : [])].filter(Boolean)
  const faultCodes = codes.filter((c) => !warningCodes.includes(c))
  const warnings = codes.filter((c) => warningCodes.includes(c))
  if (view.latest(deviceId, 'paper_low')?.value === true && !warnings.includes('paper_low')) warnings.push('paper_low')
  const fault = status === 'fault' || faultCodes.length > 0
  if (!fault && status === 'degraded' && warnings.length === 0) warnings.push('degraded')
  return { fault, faultCodes, warnings }
}

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
}

interface TerminalState {
  /** The device's zone, for notices and alarms of a terminal missing from the device list. */
  readonly zone: string
  episode: Episode | null
  /** Comma-joined warnings the staff notice shows; '' when none is posted. */
  warnings: string
}

/**
 * Terminal fault and its repair ticket (docs/requirements.md#terminal-fault, docs/requirements.md#repair-tickets):
 * the service standard §4.2.1 and the emergency plan's 营业服务设施.
 * A terminal reporting fault codes, or silent past its heartbeat, opens a fault
 * episode: a `terminal_fault` major alarm, a polite customer notice on that
 * terminal and one repair ticket request. Repeats update the alarm only. The
 * episode ends after the terminal is healthy for `settleSec`. Warnings such as
 * paper-low only tell staff.
 */
export function createTerminalFaultRule(settings: RuleSettings['terminalFault']): Rule {
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
      const episode = open ? { codes, offline, healthySince: null, shown: null, ticketDue: false } : null
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
          state.episode = { codes, offline: false, healthySince: null, shown: null, ticketDue: true }
          return [...intents, ...openEpisode(id, state, state.episode, view)]
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
        return [...supervise(id, state, view), ...ticketIfDue(id, state, view), ...settle(id, state, view)]
      })
    },
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
    const name = nameOf(id, view)
    const texts = warnings.map((w) => WARNING_TEXTS[w] ?? { 'zh-CN': `${w}，请检查`, en: `${w}, please check` })
    return [
      {
        type: 'notice',
        key,
        audience: 'staff',
        zone: state.zone,
        deviceId: id,
        texts: {
          'zh-CN': `${name} ${texts.map((t) => t['zh-CN']).join('；')}`,
          en: `${name}: ${texts.map((t) => t.en).join('; ')}`,
        },
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
    state.episode = { codes: '', offline: true, healthySince: null, shown: null, ticketDue: true }
    return openEpisode(id, state, state.episode, view)
  }
  // Offline hides sub-faults: the codes already shown are kept, never re-read from stale values.
  state.episode.offline = true
  state.episode.healthySince = null
  return refresh(id, state, state.episode, view)
}

/** A new episode: the alarm and the customer notice on that terminal, at once (the service standard §4.2.1, docs/requirements.md#terminal-fault). */
function openEpisode(id: string, state: TerminalState, episode: Episode, view: RuleView): Intent[] {
  const raise = raiseFor(id, state.zone, episode, view)
  episode.shown = raise.messages.en
  return [
    raise,
    {
      type: 'notice',
      key: raise.key,
      audience: 'customer',
      zone: raise.zone,
      deviceId: id,
      texts: TERMINAL_CUSTOMER_NOTICE,
      endsAt: null,
    },
  ]
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
    messages: faultMessages(name, zone, episode, view.heartbeatSec(id)),
    checklist: terminalChecklist,
    details: { faultCodes: episode.codes, offline: episode.offline },
    shelvable: true,
  }
}

function faultMessages(name: string, zone: string, episode: Episode, heartbeatSec: number): LocalizedText {
  if (episode.offline) {
    return {
      'zh-CN': `自助终端离线：${name}（${zone} 区）超过 ${heartbeatSec} 秒未上报`,
      en: `Terminal offline: ${name} in zone ${zone} not heard from for over ${heartbeatSec} s`,
    }
  }
  const codes = episode.codes === '' ? [] : episode.codes.split(',')
  if (codes.length === 0) {
    return {
      'zh-CN': `自助终端故障：${name}（${zone} 区）报告故障`,
      en: `Terminal fault: ${name} in zone ${zone} reports a fault`,
    }
  }
  const named = codes.map((c) => CODE_NAMES[c] ?? { 'zh-CN': c, en: c })
  return {
    'zh-CN': `自助终端故障：${name}（${zone} 区）${named.map((n) => n['zh-CN']).join('、')}故障`,
    en: `Terminal fault: ${name} in zone ${zone}: ${named.map((n) => n.en).join(', ')}`,
  }
}

function nameOf(id: string, view: RuleView): string {
  return view.device(id)?.name ?? id
}
