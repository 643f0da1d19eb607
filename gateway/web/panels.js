// @ts-check
/**
 * The console's devices table; tickets, notices and the alarm history are
 * opsPanels.js. Each row is keyed by id and rebuilt only when its data changed.
 */
import { deviceState } from './deviceLine.js'
import { h, reconcile, renderIfChanged, setAttr } from './dom.js'
import { DEVICE_STATE_LABELS, DEVICE_TYPE_LABELS, deviceDisplayName, formatTime, label, pick, TEXT } from './i18n.js'
import { zoneName } from './names.js'
import { readingText } from './readingText.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/**
 * What the console gives the devices table: `zones` the zone names, `alarms` the open alarms (a
 * device's line says it is in alarm).
 * @typedef {object} PanelContext
 * @property {Lang} lang
 * @property {string} timeZone
 * @property {Readonly<Record<string, LocalizedText>> | undefined} zones
 * @property {readonly import('./types.js').Alarm[]} alarms
 */

/**
 * A table cell that also carries its column name, shown beside the value when the table stacks on a phone.
 * @param {LocalizedText} heading
 * @param {Lang} lang
 * @param {import('./types.js').Child[]} content
 */
function cell(heading, lang, ...content) {
  return h('td', { 'data-label': pick(heading, lang) }, h('div', { class: 'cell' }, ...content))
}

/**
 * @param {Element} tbody
 * @param {readonly import('./types.js').Device[]} devices
 * @param {PanelContext} ctx
 */
export function renderDevices(tbody, devices, ctx) {
  const { lang, timeZone } = ctx
  reconcile(
    tbody,
    devices,
    (d) => d.id,
    (row, device) => {
      row ??= h('tr', { 'data-testid': 'device' })
      // the line's state: a detector in fire alarm is not "ok" because it still talks to the gateway
      const shownState = deviceState(device, ctx.alarms)
      setAttr(row, 'data-device-id', device.id)
      setAttr(row, 'data-status', device.status)
      setAttr(row, 'data-state', shownState)
      setAttr(row, 'class', `device-${shownState}`)
      const zone = zoneName(ctx.zones, device.zone, lang)
      // the raw `values` and a reading's time change with every reading and are not shown: leave them
      // out, so a busy sensor rebuilds its line only when what it shows changes
      const reading = device.reading && { ...device.reading, at: undefined }
      const shown = { ...device, values: undefined, reading }
      renderIfChanged(row, JSON.stringify([shown, shownState, zone, lang, timeZone]), () => [
        cell(TEXT.name, lang, deviceDisplayName(device.name, device.id, lang)),
        cell(TEXT.type, lang, label(DEVICE_TYPE_LABELS, device.type, lang)),
        cell(TEXT.zone, lang, zone),
        cell(
          TEXT.status,
          lang,
          h('span', { class: `badge dev-state dev-${shownState}`, text: label(DEVICE_STATE_LABELS, shownState, lang) }),
          device.reading &&
            h('span', { class: 'reading', 'data-testid': 'reading', text: readingText(device.reading, lang) }),
          device.faults.length > 0 &&
            h(
              'ul',
              { class: 'faults' },
              device.faults.map((f) => h('li', { text: f.message || f.reason })),
            ),
        ),
        cell(
          TEXT.lastSeen,
          lang,
          device.lastSeen
            ? h('time', { datetime: device.lastSeen, text: formatTime(device.lastSeen, timeZone, lang) })
            : pick(TEXT.never, lang),
        ),
      ])
      return row
    },
  )
}
