// @ts-check
/**
 * The piece the console's staff forms (notices, tickets, complaints, network faults) share: a form
 * folded in `<details class="ops-compose">`, its status line and submit button, and a submit that
 * sends one request at a time. Each form keeps its own fields, checks and what it clears on success.
 */

import { h, setAttr, setText } from './dom.js'
import { pick } from './i18n.js'
import { failureText } from './opsTexts.js'

/** @typedef {import('./types.js').Child} Child */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

/**
 * @typedef {object} OpsForm
 * @property {HTMLFormElement} form
 * @property {HTMLButtonElement} submit
 * @property {HTMLParagraphElement} status the line under the fields: a refusal, a failure or a success
 * @property {HTMLElement} summary the folded form's button; its text is set on render
 * @property {HTMLDetailsElement} compose
 */

/**
 * How a sent form went: `ok` shows the text as a success, otherwise as an error.
 * @typedef {{ ok: boolean, text: LocalizedText }} Outcome
 */

/**
 * A field with its label; the label's text is set on every render, so the language switch reaches it.
 * @param {string} id
 * @param {HTMLElement} control
 */
export function field(id, control) {
  control.id = id
  const caption = h('label', { for: id })
  return { caption, row: h('div', { class: 'ops-field' }, caption, control) }
}

/**
 * Builds `<details class="ops-compose"><summary/><form class="ops-form">rows, status, submit</form></details>`.
 * @param {{ form: string, submit: string, status: string, compose?: string, summary?: string }} testids
 *   the `data-testid`s; the folded `compose` and its `summary` only where a test looks for them
 * @param {Child[]} rows what goes above the status line
 * @returns {OpsForm}
 */
export function createOpsForm(testids, rows) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': testids.submit })
  const status = h('p', { class: 'form-error', role: 'alert', 'data-testid': testids.status })
  const form = h('form', { class: 'ops-form', 'data-testid': testids.form, novalidate: true }, rows, status, submit)
  const summary = h('summary', { class: 'btn btn-quiet', 'data-testid': testids.summary })
  const compose = h('details', { class: 'ops-compose', 'data-testid': testids.compose }, summary, form)
  return { form, submit, status, summary, compose }
}

/**
 * @param {HTMLElement} status
 * @param {boolean} ok
 * @param {string} text
 */
export function showStatus(status, ok, text) {
  setAttr(status, 'class', ok ? 'ops-ok' : 'form-error')
  setText(status, text)
}

/**
 * Handles the form's submit: nothing while signed out or while a request is under way; a refusal
 * from `check` is shown as is; otherwise `send` runs with the button disabled and its outcome, or
 * why it failed, goes on the status line.
 * @param {OpsForm} parts
 * @param {object} how
 * @param {() => OpsContext | null} how.context the signed-in user's, or null after sign-out
 * @param {() => LocalizedText | null} how.check what is missing, or null when the form can be sent
 * @param {() => Promise<Outcome>} how.send calls the API and clears what was sent
 */
export function onSubmit({ form, submit, status }, { context, check, send }) {
  let busy = false
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const ctx = context()
    if (busy || !ctx) return
    const { lang } = ctx
    const missing = check()
    if (missing) return showStatus(status, false, pick(missing, lang))
    busy = true
    submit.disabled = true
    setText(status, '')
    try {
      const { ok, text } = await send()
      showStatus(status, ok, pick(text, lang))
    } catch (caught) {
      showStatus(status, false, failureText(caught, lang))
    } finally {
      busy = false
      submit.disabled = false
    }
  })
}
