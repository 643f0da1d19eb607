// @ts-check
/**
 * The notices as the console lists them: those up now (from the snapshot), customer notices
 * first since they are what the hall sees, then people's planned work still to start. Each says
 * for whom, where (device and zone by name), when, and who posted it; a rule's notice has no
 * withdraw button: it ends when its fault does.
 */
import { h, reconcile, renderIfChanged, setAttr } from './dom.js'
import { deviceDisplayName, formatTime, pick } from './i18n.js'
import { zoneName } from './names.js'
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
  const byAudience = [...active].sort((a, b) => Number(a.audience !== 'customer') - Number(b.audience !== 'customer'))
  const items = [
    ...byAudience.map((n) => ({ notice: n, later: false })),
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
      const { timeZone, zones } = at.ctx
      const names = [notice.deviceId && at.ctx.deviceName(notice.deviceId), notice.zone && zones?.[notice.zone]]
      renderIfChanged(row, JSON.stringify([notice, later, lang, timeZone, names, at.canPost]), () =>
        noticeRow(notice, later, at),
      )
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
  const place = [
    notice.deviceId && deviceDisplayName(at.ctx.deviceName(notice.deviceId), notice.deviceId, lang),
    notice.zone && zoneName(at.ctx.zones, notice.zone, lang),
  ].filter(Boolean)
  const where = place.length > 0 ? place.join(' · ') : pick(OPS_TEXT.wholeStore, lang)
  const who = notice.postedBy ? `${pick(OPS_TEXT.postedBy, lang)}: ${notice.postedBy}` : pick(OPS_TEXT.byRule, lang)
  /** @param {string} iso */
  const time = (iso) => h('time', { datetime: iso, text: formatTime(iso, timeZone, lang) })
  return [
    h(
      'div',
      { class: 'ops-item-head' },
      h('strong', { text: where }),
      h('span', {
        class: `tag audience-${notice.audience}`,
        text: pick(notice.audience === 'customer' ? OPS_TEXT.customers : OPS_TEXT.staff, lang),
      }),
    ),
    h('p', { class: 'ops-item-text', text: pick(notice.texts, lang) || notice.text }),
    h(
      'p',
      { class: 'ops-item-meta' },
      later ? `${pick(OPS_TEXT.startsLater, lang)} ` : '',
      time(notice.startsAt),
      notice.endsAt && [' → ', time(notice.endsAt)],
    ),
    h('p', { class: 'ops-item-meta', text: who }),
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
