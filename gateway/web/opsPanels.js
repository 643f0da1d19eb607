// @ts-check
/**
 * The console's side panels: reporting an escalated complaint, repair tickets with their countdowns and
 * commands, notices with posting and withdrawing, and the closed-alarm history (docs/requirements.md#console). console.js
 * calls `renderOps` with every snapshot (null once signed out); they mount
 * themselves into `[data-ops]` in console.html, so the page layout decides
 * where they sit and this module only what is in them.
 */
import { createAlarmHistory } from './alarmHistory.js'
import { createComplaintPanel } from './complaintForm.js'
import { serverNow, state } from './consoleState.js'
import { createNetworkFaultReport } from './networkFaultReport.js'
import { createNoticePanel } from './noticeForm.js'
import { createTicketPanel } from './ticketList.js'

/** @typedef {import('./types.js').ConsoleSnapshot} ConsoleSnapshot */
/**
 * What every work panel is given.
 * @typedef {{
 *   lang: import('./types.js').Lang,
 *   role: import('./types.js').Role,
 *   timeZone: string,
 *   nowMs: number,
 *   zones: Readonly<Record<string, import('./types.js').LocalizedText>> | undefined,
 *   devices: readonly import('./types.js').Device[],
 *   deviceName: (id: string) => string | null,
 * }} OpsContext
 */

const complaint = createComplaintPanel()
const tickets = createTicketPanel()
const notices = createNoticePanel()
const history = createAlarmHistory()
const networkReport = createNetworkFaultReport()
const host = /** @type {HTMLElement | null} */ (document.querySelector('[data-ops]'))
host?.append(complaint.element, tickets.element, notices.element, networkReport.element, history.element)

/** @param {ConsoleSnapshot | null} snapshot */
export function renderOps(snapshot) {
  if (host) host.hidden = snapshot === null
  if (!snapshot) {
    complaint.clear()
    tickets.clear()
    notices.clear()
    networkReport.clear()
    history.render(null)
    return
  }
  const names = new Map(snapshot.devices.map((d) => [d.id, d.name]))
  /** @type {OpsContext} */
  const ctx = {
    lang: state.lang,
    role: snapshot.user.role,
    timeZone: snapshot.store.timeZone,
    nowMs: serverNow(),
    zones: snapshot.store.zones,
    devices: snapshot.devices,
    deviceName: (id) => names.get(id) ?? null,
  }
  complaint.render(ctx)
  tickets.render(snapshot.tickets, ctx)
  notices.render(snapshot.notices, ctx)
  networkReport.render(ctx)
  history.render(ctx)
}

/** The every-second tick: ticket countdowns and overdue flags, nothing rebuilt. */
export function paintTicketCountdowns() {
  if (state.snapshot) tickets.paint(serverNow(), state.lang)
}
