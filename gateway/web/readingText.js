// @ts-check
/** A device's reading as its line shows it: `温度 95 °C`, `烟雾：是` / `Smoke: yes`. */
import { readingValue } from './deviceLine.js'
import { colon, label, METRIC_LABELS, pick, TEXT } from './i18n.js'

/**
 * @param {import('./types.js').DeviceReading} reading
 * @param {import('./types.js').Lang} lang
 * @returns {string}
 */
export function readingText(reading, lang) {
  const value = readingValue(reading.value, reading.unit) ?? pick(reading.value ? TEXT.yes : TEXT.no, lang)
  const known = label(METRIC_LABELS, reading.metric, lang)
  return known + colon(lang) + value
}
