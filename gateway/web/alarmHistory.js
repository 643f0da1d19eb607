// @ts-check
/**
 * Closed alarms (docs/requirements.md#console): filtered by kind, zone and day, a page at a
 * time from `GET /api/alarms?state=closed`, which hides silent alarms below
 * manager as the open list does. Results are dropped at sign-out, so nothing
 * of a robbery stays on a shared tablet.
 */

import { roleAtLeast } from './alarmView.js'
import { h, renderIfChanged, setAttr, setOptions, setText } from './dom.js'
import { deviceDisplayName, formatTime, KIND_LABELS, label, pick, TEXT } from './i18n.js'
import { callApi } from './opsApi.js'
import { failureText, OPS_TEXT } from './opsTexts.js'

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./opsPanels.js').OpsContext} OpsContext */

/** Kinds whose alarms are silent (docs/requirements.md#robbery): offered as a filter to managers and admins only. */
const SILENT_KINDS = new Set(['robbery'])

/** Rows per request: a screenful on a tablet. */
const PAGE = 20

export function createAlarmHistory() {
  const heading = h('h2', { id: 'ops-history-heading' })
  const kind = h('select', { name: 'kind', 'data-testid': 'ops-history-kind' })
  const zone = h('select', { name: 'zone', 'data-testid': 'ops-history-zone' })
  const day = h('input', { type: 'date', name: 'date', 'data-testid': 'ops-history-date' })
  const dayLabel = h('label', { for: 'ops-history-date' })
  day.id = 'ops-history-date'
  const show = h('button', { type: 'submit', class: 'btn', 'data-testid': 'ops-history-show' })
  const form = h('form', { class: 'ops-filters', 'data-testid': 'ops-history-form' }, kind, zone, dayLabel, day, show)
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'ops-history-error' })
  const empty = h('p', { class: 'empty', hidden: true })
  const list = h('ul', { class: 'ops-list', 'data-testid': 'ops-history-list' })
  const more = h('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'ops-history-more', hidden: true })
  const element = h(
    'section',
    { class: 'panel ops-panel', 'data-testid': 'ops-history', 'aria-labelledby': 'ops-history-heading' },
    heading,
    form,
    error,
    empty,
    list,
    more,
  )
  /** @type {OpsContext | null} */
  let ctx = null
  /** @type {Alarm[]} */
  let rows = []
  /** @type {string | null} */
  let cursor = null
  /** Bumped at every new search and at sign-out: a late answer to an older one is dropped. */
  let generation = 0

  /** @param {boolean} next the next page of the same search, or a new search */
  async function load(next) {
    if (!ctx) return
    const mine = next ? generation : ++generation
    const { lang, timeZone } = ctx
    const query = new URLSearchParams({ state: 'closed', limit: String(PAGE) })
    if (kind.value) query.set('kind', kind.value)
    if (zone.value) query.set('zone', zone.value)
    if (day.value) {
      const [since, before] = dayBounds(day.value, timeZone)
      query.set('since', since)
      query.set('before', before)
    }
    if (next && cursor) query.set('cursor', cursor)
    setText(error, '')
    try {
      const page = /** @type {{ alarms: Alarm[], nextCursor: string | null }} */ (
        await callApi('GET', `/api/alarms?${query}`)
      )
      if (mine !== generation) return
      rows = next ? [...rows, ...page.alarms] : page.alarms
      cursor = page.nextCursor
    } catch (caught) {
      if (mine === generation) setText(error, failureText(caught, lang))
    }
    paint()
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void load(false)
  })
  more.addEventListener('click', () => void load(true))

  function paint() {
    if (!ctx) return
    const at = ctx
    const { lang } = at
    empty.hidden = rows.length > 0
    more.hidden = cursor === null
    renderIfChanged(list, JSON.stringify([rows.map((a) => a.id), lang, at.timeZone]), () =>
      rows.map((alarm) => {
        const device = deviceDisplayName(at.deviceName(alarm.deviceId), alarm.deviceId, lang)
        return h(
          'li',
          { class: 'ops-item', 'data-testid': 'ops-history-alarm', 'data-alarm-id': alarm.id, 'data-kind': alarm.kind },
          h(
            'div',
            { class: 'ops-item-head' },
            h('strong', { text: label(KIND_LABELS, alarm.kind, lang) }),
            h('span', { text: `${alarm.zone} · ${device}` }),
          ),
          h('p', { class: 'ops-item-text', text: pick(alarm.messages, lang) || alarm.message }),
          h(
            'p',
            { class: 'ops-item-meta' },
            `${formatTime(alarm.raisedAt, at.timeZone, lang)} → `,
            h('time', { datetime: alarm.updatedAt, text: formatTime(alarm.updatedAt, at.timeZone, lang) }),
            alarm.resetBy ? ` · ${pick(OPS_TEXT.resetBy, lang)}: ${alarm.resetBy}` : '',
          ),
        )
      }),
    )
  }

  /** @param {OpsContext | null} next null at sign-out */
  function render(next) {
    if (!next) {
      ctx = null
      generation++
      rows = []
      cursor = null
      list.replaceChildren()
      delete list.sgSignature
      more.hidden = true
      return
    }
    const first = ctx === null
    ctx = next
    const { lang } = next
    setText(heading, pick(OPS_TEXT.historyHeading, lang))
    setText(dayLabel, pick(OPS_TEXT.date, lang))
    setText(show, pick(OPS_TEXT.show, lang))
    setText(more, pick(OPS_TEXT.more, lang))
    setText(empty, pick(OPS_TEXT.noClosedAlarms, lang))
    // a silent kind is not even named below manager: the filter would tell staff that robbery alarms exist
    const kinds = Object.keys(KIND_LABELS).filter((k) => !SILENT_KINDS.has(k) || roleAtLeast(next.role, 'manager'))
    setOptions(kind, [['', pick(OPS_TEXT.allKinds, lang)], ...kinds.map((k) => pair(k, label(KIND_LABELS, k, lang)))])
    setAttr(kind, 'aria-label', pick(TEXT.kind, lang))
    setAttr(zone, 'aria-label', pick(TEXT.zone, lang))
    const zones = [...new Set(next.devices.map((d) => d.zone))].sort()
    setOptions(zone, [['', pick(OPS_TEXT.allZones, lang)], ...zones.map((z) => pair(z, z))])
    if (first) void load(false)
    else paint()
  }

  return { element, render }
}

/** @type {(value: string, text: string) => [string, string]} */
const pair = (value, text) => [value, text]

/**
 * The store's day `yyyy-mm-dd` as [start, next day's start] instants: the history speaks the store's
 * time zone, as the rest of the console does, whatever zone the tablet is set to.
 * @param {string} date
 * @param {string} timeZone
 * @returns {[string, string]}
 */
export function dayBounds(date, timeZone) {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number)
  return [new Date(midnight(y, m, d, timeZone)).toISOString(), new Date(midnight(y, m, d + 1, timeZone)).toISOString()]
}

/** @type {(y: number, m: number, d: number, timeZone: string) => number} */
function midnight(y, m, d, timeZone) {
  const guess = Date.UTC(y, m - 1, d)
  try {
    const first = guess - offsetAt(guess, timeZone)
    // a change of offset between the guess and the answer (DST) moves it once more
    return guess - offsetAt(first, timeZone)
  } catch {
    // an unknown zone name: the tablet's own midnight beats no filter at all
    return new Date(y, m - 1, d).getTime()
  }
}

/** @type {(ms: number, timeZone: string) => number} the zone's offset from UTC at `ms` */
function offsetAt(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms)
  const get = (/** @type {string} */ type) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return local - (ms - (ms % 1000))
}
