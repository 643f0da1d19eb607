// @ts-check
/**
 * Repair tickets with their commands (docs/requirements.md#repair-tickets): maintenance and
 * up acknowledge, start and resolve a ticket, with a note, from the console;
 * everyone else sees the same list without buttons. The page never moves a
 * ticket itself: the command is POSTed and the next snapshot shows the result.
 */
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import { deviceDisplayName, formatTime, label, pick, TEXT, TICKET_STATUS_LABELS } from './i18n.js'
import { callApi, roleAtLeast } from './opsApi.js'
import { failureText, OPS_TEXT } from './opsTexts.js'

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
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-tickets', 'aria-labelledby': 'ops-tickets-heading' },
    heading,
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
    const { lang } = ctx
    setText(heading, pick(OPS_TEXT.ticketsHeading, lang))
    setText(empty, pick(OPS_TEXT.noOpenTickets, lang))
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
        const device = deviceDisplayName(ctx.deviceName(ticket.deviceId), ticket.deviceId, lang)
        const busy = pending.has(ticket.id)
        const shown = [ticket.status, ticket.assignee, ticket.dueAt, ticket.reason, ticket.zone, device]
        renderIfChanged(row, JSON.stringify([shown, lang, ctx.timeZone, canAct, busy]), () => [
          h(
            'div',
            { class: 'ops-item-head' },
            h('strong', { text: device }),
            h('span', {
              class: 'badge',
              'data-testid': 'ops-ticket-status',
              text: label(TICKET_STATUS_LABELS, ticket.status, lang),
            }),
          ),
          h('p', { class: 'ops-item-text', text: `${ticket.zone} · ${pick(ticket.reason, lang)}` }),
          h(
            'p',
            { class: 'ops-item-meta' },
            `${pick(OPS_TEXT.assignee, lang)}: ${ticket.assignee ?? '—'} · ${pick(TEXT.dueAt, lang)}: `,
            h('time', { datetime: ticket.dueAt, text: formatTime(ticket.dueAt, ctx.timeZone, lang) }),
          ),
          canAct && actions(ticket, ctx, busy),
        ])
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
    const noteLabel = pick(OPS_TEXT.note, lang)
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
  }

  return { element, render, clear }
}
