// @ts-check
/**
 * Raising an escalated complaint (docs/requirements.md#escalated-complaint): staff and up tick
 * which situations apply — five or more people, aggressive behaviour, the press — pick the
 * zone and send it to the duty manager and the complaint supervisor. Nothing sounds and no
 * customer sees it; the alarm then shows in the list like any other. Viewers never see the form.
 */

import { roleAtLeast } from './alarmView.js'
import { h, setOptions, setText } from './dom.js'
import { KIND_LABELS, pick } from './i18n.js'
import { zoneName } from './names.js'
import { callApi } from './opsApi.js'
import { createOpsForm, field, onSubmit } from './opsForm.js'

/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

/** @type {(zh: string, en: string) => LocalizedText} */
const t = (zh, en) => ({ 'zh-CN': zh, en })

const TEXT = {
  heading: KIND_LABELS.complaint_escalation,
  open: t('上报投诉激化', 'Report an escalated complaint'),
  hint: t(
    '通知值班经理和投诉处理主管；不响警笛，不向顾客发布公告。',
    'Tells the duty manager and the complaint supervisor; no siren, nothing shown to customers.',
  ),
  situations: t('情况（可多选）', 'What is happening (tick all that apply)'),
  zone: t('位置', 'Where'),
  note: t('补充说明（可选）', 'Note (optional)'),
  send: t('上报', 'Report'),
  sent: t(
    '已上报，值班经理和投诉处理主管已收到通知',
    'Reported: the duty manager and the complaint supervisor are told',
  ),
  pickOne: t('请至少选择一种情况', 'Tick at least one situation'),
}

/** The situations, in the emergency plan's words, in the order the API knows them. */
const SITUATIONS = /** @type {const} */ ([
  ['group', t('5 人及以上集体投诉', 'Group of 5 or more complaining')],
  ['aggressive', t('用户出现过激行为', 'Aggressive behaviour')],
  ['press', t('新闻媒体到场采访', 'Press on site')],
])

export function createComplaintPanel() {
  const heading = h('h2', { id: 'ops-complaint-heading' })
  const hint = h('p', { class: 'hint' })
  const legend = h('legend')
  const boxes = SITUATIONS.map(([value]) =>
    h('input', { type: 'checkbox', name: 'situation', value, 'data-testid': `complaint-${value}` }),
  )
  const captions = SITUATIONS.map(() => h('span'))
  const checks = h(
    'fieldset',
    { class: 'ops-checks' },
    legend,
    boxes.map((box, i) => h('label', { class: 'ops-check' }, box, captions[i] ?? '')),
  )
  const zone = h('select', { name: 'zone', 'data-testid': 'complaint-zone' })
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 500, 'data-testid': 'complaint-note' })
  const fields = { zone: field('ops-complaint-zone', zone), note: field('ops-complaint-note', note) }
  const parts = createOpsForm(
    { form: 'complaint-form', submit: 'complaint-send', status: 'complaint-status', summary: 'complaint-open' },
    [hint, checks, fields.zone.row, fields.note.row],
  )
  const { submit, status, summary, compose } = parts
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-complaint', 'aria-labelledby': 'ops-complaint-heading' },
    heading,
    compose,
  )
  /** @type {OpsContext | null} */
  let ctx = null

  onSubmit(parts, {
    context: () => ctx,
    check: () => (boxes.some((b) => b.checked) ? null : TEXT.pickOne),
    send: async () => {
      const situations = boxes.filter((b) => b.checked).map((b) => b.value)
      const text = note.value.trim()
      await callApi('POST', '/api/complaints', { situations, zone: zone.value, ...(text ? { note: text } : {}) })
      for (const box of boxes) box.checked = false
      note.value = ''
      return { ok: true, text: TEXT.sent }
    },
  })

  /** @param {OpsContext} next */
  function render(next) {
    ctx = next
    const { lang } = next
    element.hidden = !roleAtLeast(next.role, 'staff')
    setText(heading, pick(TEXT.heading, lang))
    setText(summary, pick(TEXT.open, lang))
    setText(hint, pick(TEXT.hint, lang))
    setText(legend, pick(TEXT.situations, lang))
    SITUATIONS.forEach(([, words], i) => {
      const caption = captions[i]
      if (caption) setText(caption, pick(words, lang))
    })
    setText(fields.zone.caption, pick(TEXT.zone, lang))
    setText(fields.note.caption, pick(TEXT.note, lang))
    setText(submit, pick(TEXT.send, lang))
    const zones = [...new Set([...Object.keys(next.zones ?? {}), ...next.devices.map((d) => d.zone)])].sort()
    setOptions(
      zone,
      zones.map((z) => /** @type {[string, string]} */ ([z, zoneName(next.zones, z, lang)])),
    )
  }

  /** At sign-out: nothing of this user's draft stays for the next one. */
  function clear() {
    ctx = null
    for (const box of boxes) box.checked = false
    note.value = ''
    setText(status, '')
    compose.open = false
  }

  return { element, render, clear }
}
