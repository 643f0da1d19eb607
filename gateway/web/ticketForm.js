// @ts-check
/**
 * Staff open a repair ticket by hand (docs/requirements.md#hand-opened-tickets) for a facility with
 * no sensor — a broken chair, a dead light: what it is, where (a zone), and what is wrong, as text.
 * Staff and up see the form; the ticket then shows in the list like any other, from the next snapshot.
 */

import { roleAtLeast } from './alarmView.js'
import { h, setAttr, setOptions, setText } from './dom.js'
import { pick } from './i18n.js'
import { zoneName } from './names.js'
import { callApi } from './opsApi.js'
import { failureText, OPS_TEXT } from './opsTexts.js'

/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

/**
 * @param {string} id
 * @param {HTMLElement} control
 */
function field(id, control) {
  control.id = id
  const caption = h('label', { for: id })
  return { caption, row: h('div', { class: 'ops-field' }, caption, control) }
}

export function createTicketForm() {
  const facility = h('input', { type: 'text', name: 'facility', maxlength: 100, 'data-testid': 'ops-ticket-facility' })
  const zone = h('select', { name: 'zone', 'data-testid': 'ops-ticket-zone' })
  const description = h('textarea', {
    name: 'description',
    rows: 2,
    maxlength: 500,
    'data-testid': 'ops-ticket-description',
  })
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'ops-ticket-open' })
  const status = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'ops-ticket-open-status' })
  const fields = {
    facility: field('ops-ticket-facility', facility),
    zone: field('ops-ticket-zone', zone),
    description: field('ops-ticket-description', description),
  }
  const form = h(
    'form',
    { class: 'ops-form', 'data-testid': 'ops-ticket-form', novalidate: true },
    Object.values(fields).map((f) => f.row),
    status,
    submit,
  )
  // folded until wanted, as the notice form
  const summary = h('summary', { class: 'btn btn-quiet' })
  const element = h('details', { class: 'ops-compose', 'data-testid': 'ops-ticket-compose' }, summary, form)
  /** @type {OpsContext | null} */
  let ctx = null
  let busy = false

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (busy || !ctx) return
    const { lang } = ctx
    if (!facility.value.trim() || !description.value.trim()) {
      setAttr(status, 'class', 'form-error')
      return setText(status, pick(OPS_TEXT.ticketFieldsRequired, lang))
    }
    busy = true
    submit.disabled = true
    setText(status, '')
    try {
      await callApi('POST', '/api/tickets', {
        facility: facility.value,
        zone: zone.value,
        description: description.value,
      })
      facility.value = ''
      description.value = ''
      setAttr(status, 'class', 'ops-ok')
      setText(status, pick(OPS_TEXT.ticketOpened, lang))
    } catch (caught) {
      setAttr(status, 'class', 'form-error')
      setText(status, failureText(caught, lang))
    } finally {
      busy = false
      submit.disabled = false
    }
  })

  /** @param {OpsContext} next */
  function render(next) {
    ctx = next
    const { lang } = next
    element.hidden = !roleAtLeast(next.role, 'staff')
    setText(summary, pick(OPS_TEXT.openTicketHeading, lang))
    setText(fields.facility.caption, pick(OPS_TEXT.facility, lang))
    setText(fields.zone.caption, pick(OPS_TEXT.where, lang))
    setText(fields.description.caption, pick(OPS_TEXT.whatIsWrong, lang))
    setText(submit, pick(OPS_TEXT.openTicket, lang))
    const zones = [...new Set([...next.devices.map((d) => d.zone), ...Object.keys(next.zones ?? {})])].sort()
    setOptions(
      zone,
      zones.map((z) => /** @type {[string, string]} */ ([z, zoneName(next.zones, z, lang)])),
    )
  }

  return { element, render }
}
