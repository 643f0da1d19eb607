// @ts-check
/**
 * The console's state: the signed-in token, the language, the last snapshot
 * and what staff have open or in flight, with the browser storage that keeps
 * the token and the language. Every panel reads it; console.js changes it.
 */
import { LANGS, pick } from './i18n.js'

/** @typedef {import('./types.js').ConsoleSnapshot} ConsoleSnapshot */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./alarmForms.js').Draft} Draft */
/** @typedef {'live' | 'reconnecting' | 'offline'} Connection */

/** Per tab, not localStorage: the token goes when the tab is closed (shared tablets). */
export const TOKEN_KEY = 'storeguard.token'
/** The language choice outlives the session: it belongs to the person at the tablet, not the token. */
export const LANG_KEY = 'storeguard.lang'

/** Web Storage throws in some private modes and when disabled; the console must work without it. */
export const storage = {
  /**
   * @param {'localStorage' | 'sessionStorage'} area
   * @param {string} key
   * @returns {string | null}
   */
  get(area, key) {
    try {
      return window[area].getItem(key)
    } catch {
      return null
    }
  },
  /**
   * @param {'localStorage' | 'sessionStorage'} area
   * @param {string} key
   * @param {string | null} value
   */
  set(area, key, value) {
    try {
      if (value === null) window[area].removeItem(key)
      else window[area].setItem(key, value)
    } catch {
      // not remembered; nothing else depends on it
    }
  },
}

/**
 * One of the console's languages, or null.
 * @param {unknown} lang
 * @returns {Lang | null}
 */
export const knownLang = (lang) => LANGS.find((known) => known === lang) ?? null

const savedLang = knownLang(storage.get('localStorage', LANG_KEY))
export const state = {
  /** @type {string | null} */
  token: null,
  /** True from the sign-in submit until the stream answers: the form stays up, a 401 is shown in it. */
  signingIn: false,
  /** @type {Lang} */
  lang: savedLang ?? 'zh-CN',
  /** A saved choice wins over the store's locale. */
  langChosen: savedLang !== null,
  /** @type {ConsoleSnapshot | null} */
  snapshot: null,
  /** serverTime − local clock at the last snapshot: deadlines count down on the server's clock. */
  clockOffsetMs: 0,
  /** @type {Connection} */
  connection: 'offline',
  /** @type {{ stop(): void } | null} */
  stream: null,
  /**
   * Alarm id → open inline form and typed text; survives snapshots and re-renders.
   * @type {Map<string, Draft>}
   */
  drafts: new Map(),
  /**
   * Alarm ids with a command in flight: their buttons are disabled against double taps.
   * @type {Set<string>}
   */
  pending: new Set(),
  muted: false,
  /**
   * The alarms that were sounding when mute was pressed.
   * @type {Set<string>}
   */
  mutedIds: new Set(),
}

export const serverNow = () => Date.now() + state.clockOffsetMs
export const text = (/** @type {LocalizedText} */ entry) => pick(entry, state.lang)
