// @ts-check
/**
 * The page around the panels: its language, the connection indicator, and
 * which view shows (sign-in or console).
 */
import { ui } from './consoleDom.js'
import { renderSoundControls } from './consoleSound.js'
import { state, text } from './consoleState.js'
import { setAttr, setText } from './dom.js'
import { TEXT } from './i18n.js'

/** @typedef {import('./consoleState.js').Connection} Connection */

export function applyLanguage() {
  document.documentElement.lang = state.lang
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-i18n]')))
    setText(el, text(TEXT[/** @type {keyof typeof TEXT} */ (el.dataset.i18n)]))
  setText(ui.langSwitch, text(TEXT.switchTo))
  setAttr(ui.langSwitch, 'lang', text(TEXT.switchToLang))
  setText(ui.mute, text(TEXT.mute))
  setText(ui.soundUnlock, text(TEXT.enableSound))
  if (!state.signingIn) setText(ui.signinSubmit, text(TEXT.signIn))
  renderConnection()
}

export function renderConnection() {
  const shown = state.connection
  setAttr(ui.connection, 'data-state', shown)
  const words = {
    live: TEXT.live,
    reconnecting: TEXT.reconnecting,
    offline: state.token ? TEXT.connecting : TEXT.offline,
  }
  setText(ui.connectionText, text(words[shown]))
  ui.reconnectBanner.hidden = !(state.token && shown === 'reconnecting')
}

export function renderViews() {
  const inConsole = state.token !== null && !state.signingIn
  ui.signinView.hidden = inConsole
  ui.consoleView.hidden = !inConsole
  ui.user.hidden = !inConsole
  ui.signOut.hidden = !inConsole
  ui.mute.hidden = !inConsole
  ui.signinSubmit.disabled = state.signingIn
  setText(ui.signinSubmit, text(state.signingIn ? TEXT.signingIn : TEXT.signIn))
  renderSoundControls()
}

/** @param {Connection} connection */
export function setConnection(connection) {
  state.connection = connection
  renderConnection()
}
