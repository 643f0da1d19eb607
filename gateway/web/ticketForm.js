// @ts-check
/**
 * Staff open a repair ticket by hand (docs/requirements.md#hand-opened-tickets) for a facility with
 * no sensor — a broken chair, a dead light: what it is, where (a zone), and what is wrong, as text.
 * Staff and up see the form; the ticket then shows in the list like any other, from the next snapshot.
 */

import { roleAtLeast } from './alarmView.js'
import { h, setOptions, setText } from './dom.js'
import { pick } from './i18n.js'
import { zoneName } from './names.js'
import { callApi } from './opsApi.js'
import { createOpsForm, field, onSubmit } from './opsForm.js'
import { OPS_TEXT } from './opsTexts.js'

/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

export function createTicketForm() {
  const facility = h('input', { type: 'text', name: 'facility', maxlength: 100, 'data-testid': 'ops-ticket-facility' })
  const zone = h('select', { name: 'zone', 'data-testid': 'ops-ticket-zone' })
  const description = h('textarea', {
    name: 'description',
    rows: 2,
    maxlength: 500,
    'data-testid': 'ops-ticket-description',
  })
  const fields = {
    facility: field('ops-ticket-facility', facility),
    zone: field('ops-ticket-zone', zone),
    description: field('ops-ticket-description', description),
  }
  // folded until wanted, as the notice form
  const parts = createOpsForm(
    {
      form: 'ops-ticket-form',
      submit: 'ops-ticket-open',
      status: 'ops-ticket-open-status',
      compose: 'ops-ticket-compose',
    },
    Object.values(fields).map((f) => f.row),
  )
  const { submit, summary, compose: element } = parts
  /** @type {OpsContext | null} */
  let ctx = null

  onSubmit(parts, {
    context: () => ctx,
    check: () => (!facility.value.trim() || !description.value.trim() ? OPS_TEXT.ticketFieldsRequired : null),
    send: async () => {
      await callApi('POST', '/api/tickets', {
        facility: facility.value,
        zone: zone.value,
        description: description.value,
      })
      facility.value = ''
      description.value = ''
      return { ok: true, text: OPS_TEXT.ticketOpened }
    },
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

  /** At sign-out: the next person on this tablet sees no one else's draft. */
  function clear() {
    ctx = null
    facility.value = ''
    description.value = ''
    setText(parts.status, '')
    element.open = false
  }

  return { element, render, clear }
}
