// @ts-check
/**
 * The notices as the console lists them: those up now (from the snapshot) and
 * people's planned work still to start. A rule's notice has no withdraw
 * button: it ends when its fault does.
 */
import { h, reconcile, renderIfChanged, setAttr } from './dom.js'
import { deviceDisplayName, formatTime, pick } from './i18n.js'
import { OPS_TEXT } from './opsTexts.js'

/** @typedef {import('./types.js').Notice} Notice */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */
/**
 * @typedef {{
 *   ctx: OpsContext,
 *   canPost: boolean,
 *   withdraw: (notice: Notice) => void,
 * }} ListContext
 */

/**
 * @param {Element} list
 * @param {readonly Notice[]} active
 * @param {readonly Notice[]} scheduled
 * @param {ListContext} at
 */
export function renderNoticeList(list, active, scheduled, at) {
  const { lang } = at.ctx
  const shown = new Set(active.map((n) => n.id))
  // one that has just started is in the snapshot before the next fetch of the planned ones
  const waiting = scheduled.filter((n) => !shown.has(n.id))
  const items = [
    ...active.map((n) => ({ notice: n, later: false })),
    ...waiting.map((n) => ({ notice: n, later: true })),
  ]
  reconcile(
    list,
    items,
    (item) => item.notice.id,
    (row, { notice, later }) => {
      row ??= h('li', { class: 'ops-item', 'data-testid': 'ops-notice' })
      setAttr(row, 'data-notice-id', notice.id)
      setAttr(row, 'data-audience', notice.audience)
      setAttr(row, 'data-state', later ? 'scheduled' : 'active')
      renderIfChanged(row, JSON.stringify([notice, later, lang, at.canPost]), () => noticeRow(notice, later, at))
      return row
    },
  )
  return items.length
}

/**
 * @param {Notice} notice
 * @param {boolean} later
 * @param {ListContext} at
 */
function noticeRow(notice, later, at) {
  const { lang, timeZone } = at.ctx
  const where = notice.deviceId
    ? deviceDisplayName(at.ctx.deviceName(notice.deviceId), notice.deviceId, lang)
    : (notice.zone ?? pick(OPS_TEXT.wholeStore, lang))
  const who = notice.postedBy ? `${pick(OPS_TEXT.postedBy, lang)}: ${notice.postedBy}` : pick(OPS_TEXT.byRule, lang)
  const from = `${later ? `${pick(OPS_TEXT.startsLater, lang)} ` : ''}${formatTime(notice.startsAt, timeZone, lang)}`
  const until = notice.endsAt ? ` → ${formatTime(notice.endsAt, timeZone, lang)}` : ''
  return [
    h(
      'div',
      { class: 'ops-item-head' },
      h('strong', { text: where }),
      h('span', {
        class: 'badge',
        text: pick(notice.audience === 'customer' ? OPS_TEXT.customers : OPS_TEXT.staff, lang),
      }),
    ),
    h('p', { class: 'ops-item-text', text: pick(notice.texts, lang) }),
    h('p', { class: 'ops-item-meta', text: `${who} · ${from}${until}` }),
    at.canPost &&
      notice.postedBy &&
      h('button', {
        type: 'button',
        class: 'btn',
        'data-testid': 'ops-notice-withdraw',
        text: pick(OPS_TEXT.withdraw, lang),
        onclick: () => at.withdraw(notice),
      }),
  ]
}
