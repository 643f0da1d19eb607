/**
 * The small forms an alarm card opens inline (never window.prompt, which
 * blocks the page and with it the live updates): a reset note, and a shelve
 * reason with a duration. What was typed lives in a draft object owned by
 * the console, so a snapshot that re-renders the card does not lose it.
 */
import { h } from './dom.js'
import { pick, TEXT } from './i18n.js'

/** Shelve durations offered (docs/requirements.md#shelving: shelving is always for a bounded time). */
const SHELVE_CHOICES = [
  { seconds: 15 * 60, text: TEXT.min15 },
  { seconds: 60 * 60, text: TEXT.hour1 },
  { seconds: 4 * 60 * 60, text: TEXT.hour4 },
]

/** A fresh draft: which inline form is open and what has been typed in it. */
export function emptyDraft() {
  return { form: null, note: '', reason: '', durationSec: SHELVE_CHOICES[0].seconds }
}

/*
 * Both forms take `f`: `uid` (unique per card, for id/for pairs), `lang`,
 * `draft()` (the alarm's draft), `button(action, text, props)`, `close()`,
 * `submit(body)` (POSTs the command).
 */

/** Robbery (docs/requirements.md#robbery): reset with a note. The server refuses an empty one; so does the form. */
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
        oninput: (event) => {
          f.draft().note = event.target.value
        },
      }),
    ],
  )
}

/** docs/requirements.md#shelving: shelve for a bounded time, with a reason (1–500 characters, as the API checks). */
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
        oninput: (event) => {
          f.draft().reason = event.target.value
        },
      }),
      h('label', { for: durationId, text: pick(TEXT.shelveDurationLabel, f.lang) }),
      h(
        'select',
        {
          id: durationId,
          'data-field': 'duration',
          onchange: (event) => {
            f.draft().durationSec = Number(event.target.value)
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

/** `read()` returns the request body, or null when a required field is empty (focus goes there). */
function inlineForm(f, name, submitText, read, fields) {
  return h(
    'form',
    {
      class: 'inline-form',
      id: `${name}-form-${f.uid}`,
      'data-form': name,
      onkeydown: (event) => {
        if (event.key === 'Escape') f.close()
      },
      onsubmit: (event) => {
        event.preventDefault()
        const body = read()
        if (body) f.submit(body)
        else event.currentTarget.querySelector('[data-field]')?.focus()
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
