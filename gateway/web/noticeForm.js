// @ts-check
/**
 * Notices posted by people (docs/requirements.md#notices): staff and up post a notice for
 * customers (signage) or staff, for the whole store, a zone or a device, and
 * withdraw the ones people posted. A rule's notice is listed without a
 * withdraw button: it ends when its fault does. Viewers see the list only.
 */

import { roleAtLeast } from './alarmView.js'
import { h, setOptions, setText } from './dom.js'
import { deviceDisplayName, pick, TEXT } from './i18n.js'
import { zoneName } from './names.js'
import { renderNoticeList } from './noticeList.js'
import { callApi } from './opsApi.js'
import { createOpsForm, field, onSubmit, showStatus } from './opsForm.js'
import { failureText, OPS_TEXT } from './opsTexts.js'

/** How often staff consoles look for planned work posted from another tablet. */
const SCHEDULED_REFRESH_MS = 10_000

/** @typedef {import('./types.js').Notice} Notice */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

export function createNoticePanel() {
  const heading = h('h2', { id: 'ops-notices-heading' })
  const audience = h('select', { name: 'audience', 'data-testid': 'ops-notice-audience' })
  const target = h('select', { name: 'target', 'data-testid': 'ops-notice-target' })
  const zh = h('textarea', { name: 'zh', rows: 2, maxlength: 280, 'data-testid': 'ops-notice-zh' })
  const en = h('textarea', { name: 'en', rows: 2, maxlength: 280, 'data-testid': 'ops-notice-en' })
  const starts = h('input', { type: 'datetime-local', name: 'startsAt', 'data-testid': 'ops-notice-starts' })
  const ends = h('input', { type: 'datetime-local', name: 'endsAt', 'data-testid': 'ops-notice-ends' })
  const fields = {
    audience: field('ops-notice-audience', audience),
    target: field('ops-notice-target', target),
    zh: field('ops-notice-zh', zh),
    en: field('ops-notice-en', en),
    starts: field('ops-notice-starts', starts),
    ends: field('ops-notice-ends', ends),
  }
  // folded until wanted: on a phone the list stays near the top of the column
  const parts = createOpsForm(
    { form: 'ops-notice-form', submit: 'ops-notice-post', status: 'ops-notice-status', compose: 'ops-notice-compose' },
    Object.values(fields).map((f) => f.row),
  )
  const { submit, status, summary, compose } = parts
  const empty = h('p', { class: 'empty' })
  const list = h('ul', { class: 'ops-list', 'data-testid': 'ops-notice-list' })
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-notices', 'aria-labelledby': 'ops-notices-heading' },
    heading,
    compose,
    empty,
    list,
  )
  /** @type {OpsContext | null} */
  let ctx = null
  /** @type {readonly Notice[]} */
  let active = []
  /** @type {readonly Notice[]} */
  let scheduled = []
  let fetchedAt = 0
  /** Bumped at sign-out: a late answer for the previous user is dropped. */
  let generation = 0

  onSubmit(parts, {
    context: () => ctx,
    check: () => (!zh.value.trim() && !en.value.trim() ? OPS_TEXT.textRequired : null),
    send: async () => {
      const texts = { ...(zh.value.trim() ? { 'zh-CN': zh.value } : {}), ...(en.value.trim() ? { en: en.value } : {}) }
      const [kind, id] = splitTarget(target.value)
      await callApi('POST', '/api/notices', {
        audience: audience.value,
        texts,
        ...(kind === 'zone' ? { zone: id } : kind === 'device' ? { deviceId: id } : {}),
        // datetime-local is the tablet's local time; the gateway takes an instant
        ...(starts.value ? { startsAt: new Date(starts.value).toISOString() } : {}),
        ...(ends.value ? { endsAt: new Date(ends.value).toISOString() } : {}),
      })
      zh.value = ''
      en.value = ''
      starts.value = ''
      ends.value = ''
      void refreshScheduled(true)
      return { ok: true, text: OPS_TEXT.posted }
    },
  })

  /** @param {Notice} notice */
  async function withdraw(notice) {
    if (!ctx) return
    const { lang } = ctx
    setText(status, '')
    try {
      await callApi('DELETE', `/api/notices/${encodeURIComponent(notice.id)}`)
      void refreshScheduled(true)
    } catch (caught) {
      showStatus(status, false, failureText(caught, lang))
    }
  }

  /**
   * @param {readonly Notice[]} notices
   * @param {OpsContext} next
   */
  function render(notices, next) {
    ctx = next
    const { lang } = next
    const canPost = roleAtLeast(next.role, 'staff')
    compose.hidden = !canPost
    setText(heading, pick(TEXT.notices, lang))
    setText(summary, pick(OPS_TEXT.noticesHeading, lang))
    for (const [name, text] of /** @type {const} */ ([
      ['audience', OPS_TEXT.audience],
      ['target', OPS_TEXT.where],
      ['zh', OPS_TEXT.textZh],
      ['en', OPS_TEXT.textEn],
      ['starts', OPS_TEXT.startsAt],
      ['ends', OPS_TEXT.endsAt],
    ]))
      setText(fields[name].caption, pick(text, lang))
    setText(submit, pick(OPS_TEXT.post, lang))
    setOptions(audience, [
      ['customer', pick(OPS_TEXT.customers, lang)],
      ['staff', pick(OPS_TEXT.staff, lang)],
    ])
    const zones = [...new Set(next.devices.map((d) => d.zone))].sort()
    setOptions(target, [
      ['store:', pick(OPS_TEXT.wholeStore, lang)],
      ...zones.map((z) => /** @type {[string, string]} */ ([`zone:${z}`, zoneName(next.zones, z, lang)])),
      ...next.devices.map(
        (d) => /** @type {[string, string]} */ ([`device:${d.id}`, deviceDisplayName(d.name, d.id, lang)]),
      ),
    ])
    active = notices
    paintList()
    void refreshScheduled(false)
  }

  function paintList() {
    if (!ctx) return
    const canPost = roleAtLeast(ctx.role, 'staff')
    const count = renderNoticeList(list, active, scheduled, { ctx, canPost, withdraw })
    setText(empty, pick(TEXT.noNotices, ctx.lang))
    empty.hidden = count > 0
  }

  /**
   * Planned work is in no snapshot until it starts: staff fetch it, at most every 10 s and at once
   * after their own post or withdrawal, so a tablet that did not post it still shows it.
   * @param {boolean} now
   */
  async function refreshScheduled(now) {
    if (!ctx || !roleAtLeast(ctx.role, 'staff')) return
    if (!now && Date.now() - fetchedAt < SCHEDULED_REFRESH_MS) return
    fetchedAt = Date.now()
    const mine = generation
    try {
      const answer = /** @type {{ notices: Notice[] }} */ (await callApi('GET', '/api/notices?state=scheduled'))
      if (mine !== generation) return
      scheduled = answer.notices
    } catch {
      return // the next snapshot tries again; the live notices are shown regardless
    }
    paintList()
  }

  /** At sign-out: nothing of this user's view stays for the next one. */
  function clear() {
    ctx = null
    generation++
    scheduled = []
    active = []
    fetchedAt = 0
    list.replaceChildren()
    delete list.sgNodes
  }

  return { element, render, clear }
}

/**
 * @param {string} value `store:`, `zone:<zone>` or `device:<id>`
 * @returns {[string, string]}
 */
function splitTarget(value) {
  const at = value.indexOf(':')
  return [value.slice(0, at), value.slice(at + 1)]
}
