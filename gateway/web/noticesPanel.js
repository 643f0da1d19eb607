// @ts-check
/** The notices panel: customer notices first, each with its zone and when it runs. */
import { h, reconcile, renderIfChanged, setAttr } from './dom.js'
import { colon, formatTime, pick, TEXT } from './i18n.js'
import { zoneName } from './names.js'

/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./panels.js').PanelContext} PanelContext */

/**
 * @param {Element} list
 * @param {readonly import('./types.js').Notice[]} notices
 * @param {PanelContext} ctx
 */
export function renderNotices(list, notices, ctx) {
  const { lang, timeZone } = ctx
  // Customer notices first: they are what the hall sees, staff should know them.
  const ordered = [...notices].sort((a, b) => Number(a.audience !== 'customer') - Number(b.audience !== 'customer'))
  reconcile(
    list,
    ordered,
    (n) => n.id,
    (item, notice) => {
      item ??= h('li', { 'data-testid': 'notice', class: 'notice' })
      setAttr(item, 'data-notice-id', notice.id)
      setAttr(item, 'data-audience', notice.audience)
      const zone = notice.zone && zoneName(ctx.zones, notice.zone, lang)
      renderIfChanged(item, JSON.stringify([notice, lang, timeZone, zone]), () => {
        /** @type {[LocalizedText, string | null][]} */
        const times = [
          [TEXT.startsAt, notice.startsAt],
          [TEXT.endsAt, notice.endsAt],
        ]
        const when = times.filter(/** @returns {entry is [LocalizedText, string]} */ (entry) => Boolean(entry[1]))
        return [
          h(
            'div',
            { class: 'notice-head' },
            h('span', {
              class: `tag audience-${notice.audience}`,
              text: pick(notice.audience === 'customer' ? TEXT.customerNotice : TEXT.staffNotice, lang),
            }),
            zone && h('span', { class: 'notice-zone', text: pick(TEXT.zone, lang) + colon(lang) + zone }),
          ),
          h('p', { class: 'notice-text', text: pick(notice.texts, lang) || notice.text }),
          when.length > 0 &&
            h(
              'p',
              { class: 'notice-when' },
              when.map(([name, at], i) => [
                i > 0 ? ' · ' : '',
                `${pick(name, lang)} `,
                h('time', { datetime: at, text: formatTime(at, timeZone, lang) }),
              ]),
            ),
        ]
      })
      return item
    },
  )
}
