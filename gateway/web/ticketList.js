// @ts-check
/**
 * The console's repair tickets (docs/requirements.md#repair-tickets): each with its device, zone,
 * fault codes, state, assignee and a live countdown to its deadline, red once overdue. Maintenance
 * and up acknowledge, start and resolve a ticket, with a note, from the console; everyone else
 * sees the same list without buttons. The page never moves a ticket itself: the command is POSTed
 * and the next snapshot shows the result.
 */

import { roleAtLeast } from './alarmView.js'
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import { deviceDisplayName, formatDuration, formatTime, label, pick, TEXT, TICKET_STATUS_LABELS } from './i18n.js'
import { faultCodeNames, zoneName } from './names.js'
import { callApi } from './opsApi.js'
import { failureText, OPS_TEXT } from './opsTexts.js'
import { createTicketForm } from './ticketForm.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').Ticket} Ticket */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */
/** @typedef {'ack' | 'start' | 'resolve'} TicketCommand */

/**
 * What each status allows, as gateway/tickets/ticketLifecycle.ts; cancel is a manager's
 * decision with its own consequences and stays in the API.
 * @type {Readonly<Record<string, readonly TicketCommand[]>>}
 */
const COMMANDS = { open: ['ack', 'start', 'resolve'], acknowledged: ['start', 'resolve'], in_progress: ['resolve'] }

export function createTicketPanel() {
  const heading = h('h2', { id: 'ops-tickets-heading' })
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'ops-ticket-error' })
  const empty = h('p', { class: 'empty' })
  const list = h('ul', { class: 'ops-list', 'data-testid': 'ops-ticket-list' })
  const form = createTicketForm()
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-tickets', 'aria-labelledby': 'ops-tickets-heading' },
    heading,
    form.element,
    error,
    empty,
    list,
  )
  /** Typed notes by ticket id: they survive snapshots until the command succeeds. */
  const notes = new Map()
  /** Tickets with a command in flight: their buttons are disabled against double taps. */
  const pending = new Set()
  /** @type {{ tickets: readonly Ticket[], ctx: OpsContext } | null} */
  let last = null

  /**
   * @param {string} id
   * @param {TicketCommand} command
   * @param {OpsContext} ctx
   */
  async function run(id, command, ctx) {
    if (pending.has(id)) return
    pending.add(id)
    setText(error, '')
    rerender()
    const note = (notes.get(id) ?? '').trim()
    try {
      await callApi('POST', `/api/tickets/${encodeURIComponent(id)}/${command}`, note ? { note } : {})
      notes.delete(id)
    } catch (caught) {
      setText(error, failureText(caught, ctx.lang))
    } finally {
      pending.delete(id)
      rerender()
    }
  }

  const rerender = () => {
    if (last) render(last.tickets, last.ctx)
  }

  /**
   * @param {readonly Ticket[]} tickets
   * @param {OpsContext} ctx
   */
  function render(tickets, ctx) {
    last = { tickets, ctx }
    form.render(ctx)
    const { lang } = ctx
    setText(heading, pick(TEXT.tickets, lang))
    setText(empty, pick(TEXT.noTickets, lang))
    empty.hidden = tickets.length > 0
    const canAct = roleAtLeast(ctx.role, 'maintenance')
    reconcile(
      list,
      tickets,
      (t) => t.id,
      (row, ticket) => {
        row ??= h('li', { class: 'ops-item', 'data-testid': 'ops-ticket' })
        setAttr(row, 'data-ticket-id', ticket.id)
        setAttr(row, 'data-status', ticket.status)
        row.sgTicket = ticket
        // a hand-opened ticket has no device: it shows what staff wrote (docs/requirements.md#hand-opened-tickets)
        const device =
          ticket.deviceId === null
            ? (ticket.facility ?? ticket.id)
            : deviceDisplayName(ctx.deviceName(ticket.deviceId), ticket.deviceId, lang)
        const zone = zoneName(ctx.zones, ticket.zone, lang)
        const busy = pending.has(ticket.id)
        // `history` and the reminder bookkeeping are not shown; leave them out of the signature
        const { history, remindersSent, ...shown } = ticket
        renderIfChanged(row, JSON.stringify([shown, device, zone, lang, ctx.timeZone, canAct, busy]), () => [
          h(
            'div',
            { class: 'ops-item-head' },
            h('strong', { text: device }),
            h('span', {
              class: 'badge state-badge',
              'data-testid': 'ops-ticket-status',
              text: label(TICKET_STATUS_LABELS, ticket.status, lang),
            }),
          ),
          h('p', { class: 'ops-item-text', text: `${zone} · ${pick(ticket.reason, lang)}` }),
          ticket.faultCodes.length > 0 &&
            h('p', {
              class: 'ops-item-meta',
              text: `${pick(TEXT.faultCodes, lang)}: ${faultCodeNames(ticket.faultCodes, lang)}`,
            }),
          h(
            'p',
            { class: 'ops-item-meta' },
            `${pick(TEXT.assignee, lang)}: ${ticket.assignee ?? '—'} · ${pick(TEXT.dueAt, lang)}: `,
            h('time', { datetime: ticket.dueAt, text: formatTime(ticket.dueAt, ctx.timeZone, lang) }),
          ),
          h(
            'p',
            { class: 'ops-due' },
            h('span', { class: 'tag overdue-tag', text: pick(TEXT.overdue, lang) }),
            h('span', { class: 'countdown', 'data-testid': 'ops-ticket-countdown' }),
          ),
          canAct && actions(ticket, ctx, busy),
        ])
        paintCountdown(row, ctx.nowMs, lang)
        return row
      },
    )
    // notes of tickets that are gone would otherwise come back if the id did
    for (const id of notes.keys()) if (!tickets.some((t) => t.id === id)) notes.delete(id)
  }

  /**
   * @param {Ticket} ticket
   * @param {OpsContext} ctx
   * @param {boolean} busy
   */
  function actions(ticket, ctx, busy) {
    const { lang } = ctx
    const noteLabel = pick(TEXT.note, lang)
    return h(
      'div',
      { class: 'ops-actions' },
      h('input', {
        type: 'text',
        class: 'ops-note',
        maxlength: 500,
        placeholder: noteLabel,
        'aria-label': noteLabel,
        'data-field': `note-${ticket.id}`,
        'data-testid': 'ops-ticket-note',
        value: notes.get(ticket.id) ?? '',
        oninput: (/** @type {Event} */ e) => notes.set(ticket.id, /** @type {HTMLInputElement} */ (e.target).value),
      }),
      (COMMANDS[ticket.status] ?? []).map((command) =>
        h('button', {
          type: 'button',
          class: command === 'resolve' ? 'btn btn-primary' : 'btn',
          'data-testid': `ops-ticket-${command}`,
          disabled: busy,
          text: pick(OPS_TEXT[command], lang),
          onclick: () => run(ticket.id, command, ctx),
        }),
      ),
    )
  }

  /** At sign-out: the next person on this tablet starts with no one else's notes. */
  function clear() {
    notes.clear()
    last = null
    form.clear()
  }

  /**
   * Called every second: only the countdowns and the overdue flags change, nothing is rebuilt.
   * @param {number} nowMs
   * @param {Lang} lang
   */
  function paint(nowMs, lang) {
    for (const row of list.children) paintCountdown(row, nowMs, lang)
  }

  return { element, render, paint, clear }
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
  // past the deadline the overdue tag says so; the countdown then says by how much
  const text = left > 0 ? `${pick(TEXT.timeLeft, lang)} ${formatDuration(left, lang)}` : formatDuration(-left, lang)
  const countdown = row.querySelector('.countdown')
  if (countdown) setText(countdown, text)
}
