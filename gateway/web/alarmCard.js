// @ts-check
/**
 * One alarm as a card: what happened and where, the buttons the signed-in role
 * may use, then what to do (alarmSteps.js). Its three parts re-render
 * separately, so a snapshot that changes the description leaves a half-typed
 * reset note alone; the buttons come before the checklist to stay in view on a phone.
 */
import { emptyDraft, resetForm, shelveForm } from './alarmForms.js'
import { renderSteps } from './alarmSteps.js'
import { allowedActions, isShelved } from './alarmView.js'
import { h, renderIfChanged, setAttr } from './dom.js'
import {
  colon,
  deviceDisplayName,
  formatTime,
  KIND_LABELS,
  label,
  pick,
  SEVERITY_LABELS,
  STATE_LABELS,
  TEXT,
} from './i18n.js'
import { zoneName } from './names.js'

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./alarmForms.js').Draft} Draft */
/** @typedef {import('./alarmForms.js').FormName} FormName */
/** @typedef {import('./alarmView.js').AllowedActions} AllowedActions */

/**
 * What the console gives every card (see upsertAlarmCard).
 * @typedef {object} AlarmCardContext
 * @property {Lang} lang
 * @property {string} role
 * @property {string} timeZone
 * @property {number} nowMs
 * @property {(id: string) => string | null} deviceName
 * @property {(id: string) => string | null} deviceType
 * @property {Readonly<Record<string, LocalizedText>> | undefined} zones
 * @property {readonly string[]} numbers phone numbers the checklist links (telLinks.js)
 * @property {Map<string, Draft>} drafts
 * @property {Set<string>} pending
 * @property {(id: string, form: FormName | null) => void} setForm
 * @property {(id: string, name: 'ack' | FormName, body: object) => void} command
 */

/**
 * The card's context and what upsertAlarmCard has already worked out for it.
 * @typedef {AlarmCardContext & { kind: string, severity: string, shelved: boolean, device: string, zone: string }} BodyContext
 */

let uidSeq = 0

/**
 * Creates (card null) or updates the card for `alarm`. `ctx`: `lang`, `role`,
 * `timeZone`, `nowMs`, `deviceName(id)` (configured name or null), `deviceType(id)`, `zones`
 * (zone names), `numbers` (to link in the checklist), `drafts` (Map id → draft),
 * `pending` (Set of ids with a command in flight), `setForm(id, form)`,
 * `command(id, name, body)`.
 * @param {Element | null} card
 * @param {Alarm} alarm
 * @param {AlarmCardContext} ctx
 * @returns {Element}
 */
export function upsertAlarmCard(card, alarm, ctx) {
  if (!card) {
    card = h(
      'article',
      { class: 'alarm', 'data-testid': 'alarm' },
      h('div', { class: 'alarm-body' }),
      h('div', { class: 'alarm-actions' }),
      h('div', { class: 'alarm-steps' }),
    )
    card.sgUid = ++uidSeq
  }
  const { lang } = ctx
  const kind = label(KIND_LABELS, alarm.kind, lang)
  const severity = label(SEVERITY_LABELS, alarm.severity, lang)
  const shelved = isShelved(alarm, ctx.nowMs)
  setAttr(card, 'data-alarm-id', alarm.id)
  setAttr(card, 'data-kind', alarm.kind)
  setAttr(card, 'data-severity', alarm.severity)
  setAttr(card, 'data-state', alarm.state)
  setAttr(
    card,
    'aria-label',
    [kind, severity, alarm.silent ? pick(TEXT.confidential, lang) : null].filter(Boolean).join(' · '),
  )
  setAttr(card, 'class', cardClasses(alarm, shelved))

  const device = deviceDisplayName(ctx.deviceName(alarm.deviceId), alarm.deviceId, lang)
  const zone = zoneName(ctx.zones, alarm.zone, lang)
  const [body, actionsPart, stepsPart] = /** @type {[Element, Element, Element]} */ ([...card.children])
  renderIfChanged(body, JSON.stringify([alarm, lang, ctx.timeZone, shelved, device, zone]), () =>
    renderBody(alarm, { ...ctx, kind, severity, shelved, device, zone }),
  )
  const deviceType = ctx.deviceType(alarm.deviceId)
  renderIfChanged(stepsPart, JSON.stringify([alarm, lang, ctx.role, deviceType, ctx.numbers]), () =>
    renderSteps(alarm, { lang, role: ctx.role, deviceType, numbers: ctx.numbers }),
  )

  const actions = allowedActions(alarm, ctx.role)
  const draft = ctx.drafts.get(alarm.id)
  // A form whose action is no longer offered (acked elsewhere, reset by someone else) is dropped.
  const form = draft?.form && actions[draft.form] ? draft.form : null
  const pending = ctx.pending.has(alarm.id)
  renderIfChanged(actionsPart, JSON.stringify([actions, lang, alarm.resetNoteRequired, form, pending]), () =>
    renderActions(card, alarm, actions, form, pending, ctx),
  )
  return card
}

/**
 * @param {Alarm} alarm
 * @param {boolean} shelved
 */
function cardClasses(alarm, shelved) {
  const classes = ['alarm', `sev-${alarm.severity}`, `state-${alarm.state}`]
  // Robbery (docs/requirements.md#robbery): silent alarms look discreet, whatever their severity, so a
  // glance at the tablet from the counter gives nothing away.
  if (alarm.silent) classes.push('silent')
  if (alarm.kind === 'fire' && alarm.state === 'active_unacked' && !alarm.silent) classes.push('fire-active')
  if (shelved) classes.push('shelved')
  return classes.join(' ')
}

/**
 * @param {Alarm} alarm
 * @param {BodyContext} ctx
 */
function renderBody(alarm, ctx) {
  const { lang } = ctx
  const tags = [
    h('span', { class: `badge sev-badge sev-${alarm.severity}`, text: ctx.severity }),
    h('span', { class: 'badge state-badge', text: label(STATE_LABELS, alarm.state, lang) }),
    alarm.silent && h('span', { class: 'tag confidential', text: pick(TEXT.confidential, lang) }),
    alarm.chattering && h('span', { class: 'tag', text: pick(TEXT.chattering, lang) }),
  ]
  /** @type {(readonly [LocalizedText, import('./types.js').Child] | false)[]} */
  const rows = [
    [TEXT.zone, ctx.zone],
    [TEXT.device, ctx.device],
    [TEXT.raisedAt, h('time', { datetime: alarm.raisedAt, text: formatTime(alarm.raisedAt, ctx.timeZone, lang) })],
    // shelved implies a shelvedUntil; the second test is for the type check
    ctx.shelved &&
      alarm.shelvedUntil !== null && [
        TEXT.shelvedUntil,
        h('time', { datetime: alarm.shelvedUntil, text: formatTime(alarm.shelvedUntil, ctx.timeZone, lang) }),
      ],
    alarm.escalationLevel > 0 && [TEXT.escalationLevel, String(alarm.escalationLevel)],
  ]
  const facts = rows.filter((row) => row !== false)
  return [
    h('div', { class: 'alarm-head' }, h('h3', { class: 'alarm-kind', text: ctx.kind }), ...tags),
    h('p', { class: 'alarm-message', text: pick(alarm.messages, lang) || alarm.message }),
    alarm.silent && h('p', { class: 'confidential-note', text: pick(TEXT.confidentialNote, lang) }),
    h(
      'dl',
      { class: 'facts' },
      facts.map(([name, value]) => h('div', {}, h('dt', { text: pick(name, lang) + colon(lang) }), h('dd', {}, value))),
    ),
  ]
}

/**
 * @param {Element} card
 * @param {Alarm} alarm
 * @param {AllowedActions} actions
 * @param {FormName | null} form
 * @param {boolean} pending
 * @param {AlarmCardContext} ctx
 */
function renderActions(card, alarm, actions, form, pending, ctx) {
  const { lang, drafts } = ctx
  const id = alarm.id
  const uid = /** @type {number} */ (card.sgUid)
  const draft = () => {
    let current = drafts.get(id)
    if (!current) {
      current = emptyDraft()
      drafts.set(id, current)
    }
    return current
  }
  // Opening a form moves focus into it; closing returns focus to its button.
  const toggle = (/** @type {FormName} */ name) => {
    const opening = form !== name
    ctx.setForm(id, opening ? name : null)
    const target = /** @type {HTMLElement | null} */ (
      opening ? card.querySelector(`[data-form="${name}"] [data-field]`) : card.querySelector(`[data-action="${name}"]`)
    )
    target?.focus()
  }
  /**
   * @param {string} action
   * @param {LocalizedText} text
   * @param {Record<string, unknown>} [extra]
   */
  const button = (action, text, extra = {}) =>
    h('button', {
      type: 'button',
      class: 'btn',
      'data-action': action,
      disabled: pending,
      text: pick(text, lang),
      ...extra,
    })

  const buttons = [
    actions.ack && button('ack', TEXT.ack, { class: 'btn btn-primary', onclick: () => ctx.command(id, 'ack', {}) }),
    actions.reset &&
      (alarm.resetNoteRequired
        ? button('reset', TEXT.reset, {
            'aria-expanded': String(form === 'reset'),
            'aria-controls': `reset-form-${uid}`,
            onclick: () => toggle('reset'),
          })
        : button('reset', TEXT.reset, { onclick: () => ctx.command(id, 'reset', {}) })),
    actions.shelve &&
      button('shelve', TEXT.shelve, {
        'aria-expanded': String(form === 'shelve'),
        'aria-controls': `shelve-form-${uid}`,
        onclick: () => toggle('shelve'),
      }),
  ].filter(Boolean)
  if (buttons.length === 0) return []

  /**
   * @param {FormName} name
   * @returns {import('./alarmForms.js').FormContext}
   */
  const formOf = (name) => ({
    uid,
    lang,
    draft,
    button,
    close: () => toggle(name),
    submit: (body) => ctx.command(id, name, body),
  })
  return [
    h('div', { class: 'action-buttons' }, buttons),
    form === 'reset' && resetForm(formOf('reset')),
    form === 'shelve' && shelveForm(formOf('shelve')),
  ]
}
