// @ts-check
/**
 * The console's right-hand column: devices and repair tickets (with a live
 * countdown to their deadline); notices are noticesPanel.js. Each row is
 * keyed by id and rebuilt only when its data changed.
 */
import { deviceState } from './deviceLine.js'
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import {
  DEVICE_STATE_LABELS,
  DEVICE_TYPE_LABELS,
  deviceDisplayName,
  formatDuration,
  formatTime,
  label,
  pick,
  TEXT,
  TICKET_STATUS_LABELS,
} from './i18n.js'
import { faultCodeNames, zoneName } from './names.js'
import { readingText } from './readingText.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').Ticket} Ticket */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/**
 * What the console gives every panel: `deviceName(id)` is the configured name or null, `zones` the
 * zone names, `alarms` the open alarms (a device's line says it is in alarm).
 * @typedef {object} PanelContext
 * @property {Lang} lang
 * @property {string} timeZone
 * @property {number} nowMs
 * @property {(id: string) => string | null} deviceName
 * @property {Readonly<Record<string, LocalizedText>> | undefined} zones
 * @property {readonly import('./types.js').Alarm[]} alarms
 */

/**
 * A table cell that also carries its column name, shown beside the value when the table stacks on a phone.
 * @param {LocalizedText} heading
 * @param {Lang} lang
 * @param {import('./types.js').Child[]} content
 */
function cell(heading, lang, ...content) {
  return h('td', { 'data-label': pick(heading, lang) }, h('div', { class: 'cell' }, ...content))
}

/**
 * @param {Element} tbody
 * @param {readonly import('./types.js').Device[]} devices
 * @param {PanelContext} ctx
 */
export function renderDevices(tbody, devices, ctx) {
  const { lang, timeZone } = ctx
  reconcile(
    tbody,
    devices,
    (d) => d.id,
    (row, device) => {
      row ??= h('tr', { 'data-testid': 'device' })
      // the line's state: a detector in fire alarm is not "ok" because it still talks to the gateway
      const shownState = deviceState(device, ctx.alarms)
      setAttr(row, 'data-device-id', device.id)
      setAttr(row, 'data-status', device.status)
      setAttr(row, 'data-state', shownState)
      setAttr(row, 'class', `device-${shownState}`)
      const zone = zoneName(ctx.zones, device.zone, lang)
      // the raw `values` and a reading's time change with every reading and are not shown: leave them
      // out, so a busy sensor rebuilds its line only when what it shows changes
      const reading = device.reading && { ...device.reading, at: undefined }
      const shown = { ...device, values: undefined, reading }
      renderIfChanged(row, JSON.stringify([shown, shownState, zone, lang, timeZone]), () => [
        cell(TEXT.name, lang, deviceDisplayName(device.name, device.id, lang)),
        cell(TEXT.type, lang, label(DEVICE_TYPE_LABELS, device.type, lang)),
        cell(TEXT.zone, lang, zone),
        cell(
          TEXT.status,
          lang,
          h('span', { class: `badge dev-state dev-${shownState}`, text: label(DEVICE_STATE_LABELS, shownState, lang) }),
          device.reading &&
            h('span', { class: 'reading', 'data-testid': 'reading', text: readingText(device.reading, lang) }),
          device.faults.length > 0 &&
            h(
              'ul',
              { class: 'faults' },
              device.faults.map((f) => h('li', { text: f.message || f.reason })),
            ),
        ),
        cell(
          TEXT.lastSeen,
          lang,
          device.lastSeen
            ? h('time', { datetime: device.lastSeen, text: formatTime(device.lastSeen, timeZone, lang) })
            : pick(TEXT.never, lang),
        ),
      ])
      return row
    },
  )
}

/**
 * docs/requirements.md#repair-tickets: a ticket is overdue once its deadline has passed, or once the
 * server has escalated it (`breachedAt`) — whichever the page learns first.
 * @param {Ticket} ticket
 * @param {number} nowMs
 * @returns {boolean}
 */
export function isBreached(ticket, nowMs) {
  return ticket.breachedAt !== null || Date.parse(ticket.dueAt) <= nowMs
}

/**
 * @param {Element} tbody
 * @param {readonly Ticket[]} tickets
 * @param {PanelContext} ctx
 */
export function renderTickets(tbody, tickets, ctx) {
  const { lang, timeZone } = ctx
  reconcile(
    tbody,
    tickets,
    (t) => t.id,
    (row, ticket) => {
      row ??= h('tr', { 'data-testid': 'ticket' })
      setAttr(row, 'data-ticket-id', ticket.id)
      row.sgTicket = ticket
      const device = deviceDisplayName(ctx.deviceName(ticket.deviceId), ticket.deviceId, lang)
      // `history` and the reminder bookkeeping are not shown; leave them out of the signature.
      const { history, remindersSent, ...shown } = ticket
      renderIfChanged(row, JSON.stringify([shown, lang, timeZone, device, ctx.zones?.[ticket.zone]]), () => [
        cell(
          TEXT.device,
          lang,
          h('span', { class: 'ticket-device', text: device }),
          h('span', { class: 'ticket-reason', text: pick(ticket.reason, lang) }),
        ),
        cell(TEXT.zone, lang, zoneName(ctx.zones, ticket.zone, lang)),
        cell(TEXT.faultCodes, lang, faultCodeNames(ticket.faultCodes, lang)),
        cell(
          TEXT.status,
          lang,
          label(TICKET_STATUS_LABELS, ticket.status, lang),
          ticket.assignee &&
            h('span', { class: 'ticket-assignee', text: `${pick(TEXT.assignee, lang)}: ${ticket.assignee}` }),
        ),
        cell(
          TEXT.dueAt,
          lang,
          h('time', { datetime: ticket.dueAt, text: formatTime(ticket.dueAt, timeZone, lang) }),
          h('span', { class: 'countdown' }),
          h('span', { class: 'tag overdue-tag', text: pick(TEXT.overdue, lang) }),
        ),
      ])
      paintCountdown(row, ctx.nowMs, lang)
      return row
    },
  )
}

/**
 * Called every second: only the countdown text and the overdue flag change, nothing is rebuilt.
 * @param {Element} tbody
 * @param {number} nowMs
 * @param {Lang} lang
 */
export function paintCountdowns(tbody, nowMs, lang) {
  for (const row of tbody.children) paintCountdown(row, nowMs, lang)
}

/**
 * @param {Element} row
 * @param {number} nowMs
 * @param {Lang} lang
 */
function paintCountdown(row, nowMs, lang) {
  const ticket = row.sgTicket
  if (!ticket) return
  const breached = isBreached(ticket, nowMs)
  setAttr(row, 'data-breached', String(breached))
  row.classList.toggle('breached', breached)
  const left = Date.parse(ticket.dueAt) - nowMs
  const text =
    left > 0
      ? `${pick(TEXT.timeLeft, lang)} ${formatDuration(left, lang)}`
      : `${pick(TEXT.overdue, lang)} ${formatDuration(-left, lang)}`
  const countdown = row.querySelector('.countdown')
  if (countdown) setText(countdown, text)
}
