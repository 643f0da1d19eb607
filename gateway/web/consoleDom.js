// @ts-check
/** The elements of console.html the console fills in, found once at load. */

import { text } from './consoleState.js'
import { setText } from './dom.js'

/** @typedef {import('./types.js').LocalizedText} LocalizedText */

/**
 * An element console.html has; the page cannot work without any of them.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} selector
 * @returns {T}
 */
function find(selector) {
  return /** @type {T} */ (document.querySelector(selector))
}
/** @param {string} id */
const byTestId = (id) => find(`[data-testid="${id}"]`)
export const ui = {
  fireBanner: byTestId('fire-banner'),
  storeName: byTestId('store-name'),
  connection: byTestId('connection'),
  connectionText: find('.connection-text'),
  user: byTestId('user'),
  soundUnlock: byTestId('sound-unlock'),
  mute: byTestId('mute'),
  langSwitch: byTestId('lang-switch'),
  signOut: byTestId('sign-out'),
  reconnectBanner: byTestId('reconnect-banner'),
  signinView: find('#signin-view'),
  consoleView: find('#console-view'),
  signinForm: byTestId('signin-form'),
  tokenInput: /** @type {HTMLInputElement} */ (byTestId('token-input')),
  signinError: byTestId('signin-error'),
  signinSubmit: /** @type {HTMLButtonElement} */ (find('.signin-submit')),
  actionError: byTestId('action-error'),
  alarmCount: byTestId('alarm-count'),
  alarmList: byTestId('alarm-list'),
  deviceList: byTestId('device-list'),
  deviceTable: /** @type {HTMLTableElement} */ (byTestId('device-list').closest('table')),
}

/**
 * @param {string} name
 * @param {boolean} isEmpty
 * @param {LocalizedText} message
 */
export function showEmpty(name, isEmpty, message) {
  const el = find(`[data-empty="${name}"]`)
  el.hidden = !isEmpty
  if (isEmpty) setText(el, text(message))
}
