/**
 * One alarm as a card: what happened, where, what to do (the emergency plan's
 * checklist), and the buttons the signed-in role may use. The card has two
 * parts re-rendered separately — the description and the actions — so a
 * snapshot that changes the description leaves a half-typed reset note alone.
 */
import { emptyDraft, resetForm, shelveForm } from './alarmForms.js'
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

let uidSeq = 0

/**
 * Creates (card null) or updates the card for `alarm`. `ctx`: `lang`, `role`,
 * `timeZone`, `nowMs`, `deviceName(id)` (configured name or null), `drafts` (Map id → draft),
 * `pending` (Set of ids with a command in flight), `setForm(id, form)`,
 * `command(id, name, body)`.
 */
export function upsertAlarmCard(card, alarm, ctx) {
  if (!card) {
    card = h(
      'article',
      { class: 'alarm', 'data-testid': 'alarm' },
      h('div', { class: 'alarm-body' }),
      h('div', { class: 'alarm-actions' }),
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
  renderIfChanged(card.children[0], JSON.stringify([alarm, lang, ctx.timeZone, shelved, device]), () =>
    renderBody(alarm, { ...ctx, kind, severity, shelved, device }),
  )

  const actions = allowedActions(alarm, ctx.role)
  const draft = ctx.drafts.get(alarm.id)
  // A form whose action is no longer offered (acked elsewhere, reset by someone else) is dropped.
  const form = draft?.form && actions[draft.form] ? draft.form : null
  const pending = ctx.pending.has(alarm.id)
  renderIfChanged(card.children[1], JSON.stringify([actions, lang, alarm.resetNoteRequired, form, pending]), () =>
    renderActions(card, alarm, actions, form, pending, ctx),
  )
  return card
}

function cardClasses(alarm, shelved) {
  const classes = ['alarm', `sev-${alarm.severity}`, `state-${alarm.state}`]
  // Robbery (docs/requirements.md#robbery): silent alarms look discreet, whatever their severity, so a
  // glance at the tablet from the counter gives nothing away.
  if (alarm.silent) classes.push('silent')
  if (alarm.kind === 'fire' && alarm.state === 'active_unacked' && !alarm.silent) classes.push('fire-active')
  if (shelved) classes.push('shelved')
  return classes.join(' ')
}

function renderBody(alarm, ctx) {
  const { lang } = ctx
  const tags = [
    h('span', { class: `badge sev-badge sev-${alarm.severity}`, text: ctx.severity }),
    h('span', { class: 'badge state-badge', text: label(STATE_LABELS, alarm.state, lang) }),
    alarm.silent && h('span', { class: 'tag confidential', text: pick(TEXT.confidential, lang) }),
    alarm.chattering && h('span', { class: 'tag', text: pick(TEXT.chattering, lang) }),
  ]
  const facts = [
    [TEXT.zone, alarm.zone],
    [TEXT.device, ctx.device],
    [TEXT.raisedAt, h('time', { datetime: alarm.raisedAt, text: formatTime(alarm.raisedAt, ctx.timeZone, lang) })],
    ctx.shelved && [
      TEXT.shelvedUntil,
      h('time', { datetime: alarm.shelvedUntil, text: formatTime(alarm.shelvedUntil, ctx.timeZone, lang) }),
    ],
    alarm.escalationLevel > 0 && [TEXT.escalationLevel, String(alarm.escalationLevel)],
  ].filter(Boolean)
  const steps = alarm.checklist?.[lang] ?? alarm.checklist?.['zh-CN'] ?? []
  return [
    h('div', { class: 'alarm-head' }, h('h3', { class: 'alarm-kind', text: ctx.kind }), ...tags),
    h('p', { class: 'alarm-message', text: pick(alarm.messages, lang) || alarm.message }),
    alarm.silent && h('p', { class: 'confidential-note', text: pick(TEXT.confidentialNote, lang) }),
    h(
      'dl',
      { class: 'facts' },
      facts.map(([name, value]) => h('div', {}, h('dt', { text: pick(name, lang) + colon(lang) }), h('dd', {}, value))),
    ),
    steps.length > 0 && h('h4', { class: 'checklist-title', text: pick(TEXT.checklist, lang) }),
    steps.length > 0 &&
      h(
        'ol',
        { class: 'checklist' },
        steps.map((step) => h('li', { text: step })),
      ),
  ]
}

function renderActions(card, alarm, actions, form, pending, ctx) {
  const { lang, drafts } = ctx
  const id = alarm.id
  const uid = card.sgUid
  const draft = () => {
    if (!drafts.has(id)) drafts.set(id, emptyDraft())
    return drafts.get(id)
  }
  // Opening a form moves focus into it; closing returns focus to its button.
  const toggle = (name) => {
    const opening = form !== name
    ctx.setForm(id, opening ? name : null)
    const target = opening
      ? card.querySelector(`[data-form="${name}"] [data-field]`)
      : card.querySelector(`[data-action="${name}"]`)
    target?.focus()
  }
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
