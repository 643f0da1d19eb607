// @ts-check
/**
 * The small forms an alarm card opens inline (never window.prompt, which
 * blocks the page and with it the live updates): a reset note, and a shelve
 * reason with a duration. What was typed lives in a draft object owned by
 * the console, so a snapshot that re-renders the card does not lose it.
 */
import { h } from './dom.js'
import { pick, TEXT } from './i18n.js'

/**
 * What was typed into an alarm card's inline forms, and which one is open.
 * @typedef {{ form: FormName | null, note: string, reason: string, durationSec: number }} Draft
 * @typedef {'reset' | 'shelve'} FormName
 */

/**
 * What a form needs from its card (see the comment above resetForm).
 * @typedef {object} FormContext
 * @property {number} uid
 * @property {import('./types.js').Lang} lang
 * @property {() => Draft} draft
 * @property {(action: string, text: import('./types.js').LocalizedText, props?: Record<string, unknown>) => HTMLButtonElement} button
 * @property {() => void} close
 * @property {(body: object) => void} submit
 */

/** The duration chosen until staff pick another: the shortest. */
const DEFAULT_SHELVE_SEC = 15 * 60

/** Shelve durations offered (docs/requirements.md#shelving: shelving is always for a bounded time). */
const SHELVE_CHOICES = [
  { seconds: DEFAULT_SHELVE_SEC, text: TEXT.min15 },
  { seconds: 60 * 60, text: TEXT.hour1 },
  { seconds: 4 * 60 * 60, text: TEXT.hour4 },
]

/**
 * A fresh draft: which inline form is open and what has been typed in it.
 * @returns {Draft}
 */
export function emptyDraft() {
  return { form: null, note: '', reason: '', durationSec: DEFAULT_SHELVE_SEC }
}

/*
 * Both forms take `f`: `uid` (unique per card, for id/for pairs), `lang`,
 * `draft()` (the alarm's draft), `button(action, text, props)`, `close()`,
 * `submit(body)` (POSTs the command).
 */

/**
 * Robbery (docs/requirements.md#robbery): reset with a note. The server refuses an empty one; so does the form.
 * @param {FormContext} f
 * @returns {HTMLFormElement}
 */
export function resetForm(f) {
  const id = `reset-note-${f.uid}`
  return inlineForm(
    f,
    'reset',
    TEXT.confirmReset,
    () => {
      const note = f.draft().note.trim()
      return note ? { note } : null
    },
    [
      h('label', { for: id, text: pick(TEXT.resetNoteLabel, f.lang) }),
      h('textarea', {
        id,
        'data-field': 'note',
        rows: 3,
        maxlength: 500,
        required: true,
        value: f.draft().note,
        oninput: (/** @type {Event} */ event) => {
          f.draft().note = /** @type {HTMLTextAreaElement} */ (event.target).value
        },
      }),
    ],
  )
}

/**
 * docs/requirements.md#shelving: shelve for a bounded time, with a reason (1–500 characters, as the API checks).
 * @param {FormContext} f
 * @returns {HTMLFormElement}
 */
export function shelveForm(f) {
  const reasonId = `shelve-reason-${f.uid}`
  const durationId = `shelve-duration-${f.uid}`
  return inlineForm(
    f,
    'shelve',
    TEXT.confirmShelve,
    () => {
      const reason = f.draft().reason.trim()
      return reason ? { durationSec: f.draft().durationSec, reason } : null
    },
    [
      h('label', { for: reasonId, text: pick(TEXT.shelveReasonLabel, f.lang) }),
      h('input', {
        id: reasonId,
        type: 'text',
        'data-field': 'reason',
        maxlength: 500,
        required: true,
        autocomplete: 'off',
        value: f.draft().reason,
        oninput: (/** @type {Event} */ event) => {
          f.draft().reason = /** @type {HTMLInputElement} */ (event.target).value
        },
      }),
      h('label', { for: durationId, text: pick(TEXT.shelveDurationLabel, f.lang) }),
      h(
        'select',
        {
          id: durationId,
          'data-field': 'duration',
          onchange: (/** @type {Event} */ event) => {
            f.draft().durationSec = Number(/** @type {HTMLSelectElement} */ (event.target).value)
          },
        },
        SHELVE_CHOICES.map((choice) =>
          h('option', {
            value: String(choice.seconds),
            selected: choice.seconds === f.draft().durationSec,
            text: pick(choice.text, f.lang),
          }),
        ),
      ),
    ],
  )
}

/**
 * `read()` returns the request body, or null when a required field is empty (focus goes there).
 * @param {FormContext} f
 * @param {FormName} name
 * @param {import('./types.js').LocalizedText} submitText
 * @param {() => object | null} read
 * @param {import('./types.js').Child} fields
 * @returns {HTMLFormElement}
 */
function inlineForm(f, name, submitText, read, fields) {
  return h(
    'form',
    {
      class: 'inline-form',
      id: `${name}-form-${f.uid}`,
      'data-form': name,
      onkeydown: (/** @type {KeyboardEvent} */ event) => {
        if (event.key === 'Escape') f.close()
      },
      onsubmit: (/** @type {SubmitEvent & { currentTarget: HTMLFormElement }} */ event) => {
        event.preventDefault()
        const body = read()
        if (body) {
          f.submit(body)
          return
        }
        const field = /** @type {HTMLElement | null} */ (event.currentTarget.querySelector('[data-field]'))
        field?.focus()
      },
    },
    fields,
    h(
      'div',
      { class: 'form-buttons' },
      // distinct from the card's own reset/shelve buttons, so `[data-action="reset"]` stays unique
      f.button(`${name}-confirm`, submitText, { type: 'submit', class: 'btn btn-primary' }),
      f.button('cancel', TEXT.cancel, { onclick: () => f.close() }),
    ),
  )
}
