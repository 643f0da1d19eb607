// @ts-check
/**
 * The console's right-hand column: devices, repair tickets (with a live
 * countdown to their deadline) and notices. Each row is keyed by id and
 * rebuilt only when its data changed.
 */
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import {
  DEVICE_TYPE_LABELS,
  deviceDisplayName,
  formatDuration,
  formatTime,
  label,
  pick,
  TEXT,
  TICKET_STATUS_LABELS,
} from './i18n.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').Ticket} Ticket */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/**
 * What the console gives every panel: `deviceName(id)` is the configured name or null.
 * @typedef {{ lang: Lang, timeZone: string, nowMs: number, deviceName: (id: string) => string | null }} PanelContext
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
      setAttr(row, 'data-device-id', device.id)
      setAttr(row, 'data-status', device.status)
      setAttr(row, 'class', device.status === 'fault' ? 'device-fault' : 'device-ok')
      // `values` change with every reading but are not shown: leave them out so a busy sensor does not churn the DOM.
      const shown = { ...device, values: undefined }
      renderIfChanged(row, JSON.stringify([shown, lang, timeZone]), () => [
        cell(TEXT.name, lang, deviceDisplayName(device.name, device.id, lang)),
        cell(TEXT.type, lang, label(DEVICE_TYPE_LABELS, device.type, lang)),
        cell(TEXT.zone, lang, device.zone),
        cell(
          TEXT.status,
          lang,
          h('span', {
            class: `badge status-${device.status}`,
            text: pick(device.status === 'fault' ? TEXT.fault : TEXT.ok, lang),
          }),
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
      renderIfChanged(row, JSON.stringify([shown, lang, timeZone, device]), () => [
        cell(
          TEXT.device,
          lang,
          h('span', { class: 'ticket-device', text: device }),
          h('span', { class: 'ticket-reason', text: pick(ticket.reason, lang) }),
        ),
        cell(TEXT.zone, lang, ticket.zone),
        cell(TEXT.faultCodes, lang, ticket.faultCodes.join(', ')),
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

/**
 * @param {Element} list
 * @param {readonly import('./types.js').Notice[]} notices
 * @param {PanelContext} ctx
 */
export function renderNotices(list, notices, ctx) {
  const { lang, timeZone } = ctx
  // Customer notices first: they are what the hall sees, staff should know them.
  const ordered = [...notices].sort((a, b) => Number(a.audience !== 'customer') - Number(b.audience !== 'customer'))
  reconcile(
    list,
    ordered,
    (n) => n.id,
    (item, notice) => {
      item ??= h('li', { 'data-testid': 'notice', class: 'notice' })
      setAttr(item, 'data-notice-id', notice.id)
      setAttr(item, 'data-audience', notice.audience)
      renderIfChanged(item, JSON.stringify([notice, lang, timeZone]), () => {
        /** @type {[LocalizedText, string | null][]} */
        const times = [
          [TEXT.startsAt, notice.startsAt],
          [TEXT.endsAt, notice.endsAt],
        ]
        const when = times.filter(/** @returns {entry is [LocalizedText, string]} */ (entry) => Boolean(entry[1]))
        return [
          h(
            'div',
            { class: 'notice-head' },
            h('span', {
              class: `tag audience-${notice.audience}`,
              text: pick(notice.audience === 'customer' ? TEXT.customerNotice : TEXT.staffNotice, lang),
            }),
            notice.zone && h('span', { class: 'notice-zone', text: `${pick(TEXT.zone, lang)}: ${notice.zone}` }),
          ),
          h('p', { class: 'notice-text', text: pick(notice.texts, lang) || notice.text }),
          when.length > 0 &&
            h(
              'p',
              { class: 'notice-when' },
              when.map(([name, at], i) => [
                i > 0 ? ' · ' : '',
                `${pick(name, lang)} `,
                h('time', { datetime: at, text: formatTime(at, timeZone, lang) }),
              ]),
            ),
        ]
      })
      return item
    },
  )
}
