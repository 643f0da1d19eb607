// @ts-check
/** Names for what the snapshot gives as ids: zones (config `zones`) and terminal fault codes. */
import { FAULT_CODE_LABELS, label, pick } from './i18n.js'

/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */

/**
 * What staff call `zone` (config `zones`), else the id itself.
 * @param {Readonly<Record<string, LocalizedText>> | undefined} zones
 * @param {string} zone
 * @param {Lang} lang
 * @returns {string}
 */
export function zoneName(zones, zone, lang) {
  return pick(zones?.[zone], lang) || zone
}

/**
 * `打印机、读卡器` / `printer, card reader`: fault codes by their names, an unknown code as itself.
 * @param {readonly string[]} codes
 * @param {Lang} lang
 * @returns {string}
 */
export function faultCodeNames(codes, lang) {
  return codes.map((code) => label(FAULT_CODE_LABELS, code, lang)).join(lang === 'zh-CN' ? '、' : ', ')
}
