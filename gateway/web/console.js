// @ts-check
/**
 * The staff console (`/`): sign in with an API token, then show what
 * `GET /api/stream` sends — alarms, devices, tickets, notices — and let staff
 * acknowledge, reset and shelve alarms (docs/requirements.md#console). The page never changes data
 * by itself: a command is POSTed and the server's next snapshot shows the
 * result, so every tablet in the store shows the same truth.
 */
import { upsertAlarmCard } from './alarmCard.js'
import { emptyDraft } from './alarmForms.js'
import { createAlarmTone } from './alarmTone.js'
import { activeFires, needsSound, orderAlarms } from './alarmView.js'
import { postAlarmCommand } from './api.js'
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import { colon, LANGS, label, pick, ROLE_LABELS, TEXT } from './i18n.js'
import { paintCountdowns, renderDevices, renderNotices, renderTickets } from './panels.js'
import { openEventStream } from './sse.js'

/** Per tab, not localStorage: the token goes when the tab is closed (shared tablets). */
const TOKEN_KEY = 'storeguard.token'
/** The language choice outlives the session: it belongs to the person at the tablet, not the token. */
const LANG_KEY = 'storeguard.lang'

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./types.js').ConsoleSnapshot} ConsoleSnapshot */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./alarmForms.js').Draft} Draft */
/** @typedef {import('./alarmForms.js').FormName} FormName */
/** @typedef {'live' | 'reconnecting' | 'offline'} Connection */

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
const ui = {
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
  ticketList: byTestId('ticket-list'),
  noticeList: byTestId('notice-list'),
  deviceTable: /** @type {HTMLTableElement} */ (byTestId('device-list').closest('table')),
  ticketTable: /** @type {HTMLTableElement} */ (byTestId('ticket-list').closest('table')),
}

/** Web Storage throws in some private modes and when disabled; the console must work without it. */
const storage = {
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
const knownLang = (lang) => LANGS.find((known) => known === lang) ?? null

const savedLang = knownLang(storage.get('localStorage', LANG_KEY))
const state = {
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

const tone = createAlarmTone({ onChange: () => renderSoundControls() })

const serverNow = () => Date.now() + state.clockOffsetMs
const text = (/** @type {LocalizedText} */ entry) => pick(entry, state.lang)

// ---- language ---------------------------------------------------------------

function applyLanguage() {
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

ui.langSwitch.addEventListener('click', () => {
  state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN'
  state.langChosen = true
  storage.set('localStorage', LANG_KEY, state.lang)
  applyLanguage()
  render()
})

// ---- connection and views -----------------------------------------------------

function renderConnection() {
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

function renderViews() {
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
function setConnection(connection) {
  state.connection = connection
  renderConnection()
}

function startStream() {
  state.stream = openEventStream({
    url: '/api/stream',
    headers: { authorization: `Bearer ${state.token}` },
    onEvent: onStreamEvent,
    onState(streamState) {
      if (streamState === 'connecting') setConnection('offline')
      if (streamState === 'live' || streamState === 'reconnecting') {
        if (state.signingIn) {
          state.signingIn = false
          // The token has done its job in the form; do not leave it in the DOM.
          ui.tokenInput.value = ''
          renderViews()
        }
        setConnection(streamState)
      }
    },
    onUnauthorized() {
      signOut(state.signingIn ? TEXT.wrongToken : TEXT.sessionEnded)
    },
  })
}

/** @param {import('./types.js').StreamEvent} event */
function onStreamEvent(event) {
  if (event.type !== 'snapshot') return
  /** @type {ConsoleSnapshot} */
  let snapshot
  try {
    snapshot = JSON.parse(event.data)
  } catch {
    return // a torn or foreign event; the next snapshot is whole again
  }
  state.snapshot = snapshot
  const serverMs = Date.parse(snapshot.serverTime)
  if (!Number.isNaN(serverMs)) state.clockOffsetMs = serverMs - Date.now()
  // "zh-CN default, or the store's locale on first load", unless the user chose.
  const storeLang = knownLang(snapshot.store?.locale)
  if (!state.langChosen && storeLang !== null && storeLang !== state.lang) {
    state.lang = storeLang
    state.langChosen = true
    applyLanguage()
  }
  render()
}

/** @param {string} token */
function signIn(token) {
  state.token = token
  storage.set('sessionStorage', TOKEN_KEY, token)
  setText(ui.signinError, '')
  renderViews()
  startStream()
}

/**
 * Forgets the token and everything it showed: silent alarms must not linger on a shared tablet.
 * @param {LocalizedText | null} [error]
 */
function signOut(error = null) {
  state.stream?.stop()
  state.stream = null
  state.token = null
  state.signingIn = false
  state.snapshot = null
  state.drafts.clear()
  state.pending.clear()
  state.muted = false
  state.mutedIds.clear()
  storage.set('sessionStorage', TOKEN_KEY, null)
  tone.set(false)
  setConnection('offline')
  setText(ui.signinError, error ? text(error) : '')
  setText(ui.actionError, '')
  render()
  renderViews()
  ui.tokenInput.focus()
}

ui.signinForm.addEventListener('submit', (event) => {
  event.preventDefault()
  // The submit is a user gesture: the browser now lets the alarm tone play.
  tone.unlock()
  const token = ui.tokenInput.value.trim()
  if (!token) {
    setText(ui.signinError, text(TEXT.tokenRequired))
    ui.tokenInput.focus()
    return
  }
  state.signingIn = true
  signIn(token)
})

ui.signOut.addEventListener('click', () => signOut())

// ---- sound --------------------------------------------------------------------

/** Any click or key press lets the browser play sound (needed after a reload with a stored token). */
for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => tone.unlock(), { capture: true })

/** @param {readonly Alarm[]} alarms */
function updateSound(alarms) {
  const sounding = alarms.filter((a) => needsSound(a, serverNow())).map((a) => a.id)
  // Mute silences the alarms sounding now; a new one sounds again (ISA-18.2
  // "silence" is per alarm), so a muted tablet never hides a new fire.
  if (state.muted && sounding.some((id) => !state.mutedIds.has(id))) {
    state.muted = false
    state.mutedIds.clear()
  }
  tone.set(sounding.length > 0 && !state.muted)
  renderSoundControls()
}

function renderSoundControls() {
  setAttr(ui.mute, 'aria-pressed', String(state.muted))
  const inConsole = state.token !== null && !state.signingIn
  ui.soundUnlock.hidden = !(inConsole && tone.isLocked())
}

ui.mute.addEventListener('click', () => {
  if (state.muted) {
    state.muted = false
    state.mutedIds.clear()
  } else {
    state.muted = true
    const alarms = state.snapshot?.alarms ?? []
    state.mutedIds = new Set(alarms.filter((a) => needsSound(a, serverNow())).map((a) => a.id))
  }
  updateSound(state.snapshot?.alarms ?? [])
})

ui.soundUnlock.addEventListener('click', () => tone.unlock())

// ---- alarm commands -------------------------------------------------------------

/**
 * @param {string} alarmId
 * @param {FormName | null} form
 */
function setForm(alarmId, form) {
  const draft = state.drafts.get(alarmId) ?? emptyDraft()
  draft.form = form
  state.drafts.set(alarmId, draft)
  render()
}

/**
 * @param {string} alarmId
 * @param {'ack' | FormName} name
 * @param {object} body
 */
async function command(alarmId, name, body) {
  if (state.pending.has(alarmId) || !state.token) return
  state.pending.add(alarmId)
  setText(ui.actionError, '')
  render()
  try {
    await postAlarmCommand(state.token, alarmId, name, body)
    // Done: close the form. The alarm itself changes when the server's next snapshot says so.
    state.drafts.delete(alarmId)
  } catch (caught) {
    // postAlarmCommand rejects with an ApiError only
    const err = /** @type {import('./api.js').ApiError} */ (caught)
    if (err.status === 401) {
      signOut(TEXT.sessionEnded)
      return
    }
    const message = err.status === 0 || !err.message ? text(TEXT.networkError) : err.message
    setText(ui.actionError, `${text(TEXT.actionFailed)}${colon(state.lang)}${message}`)
  } finally {
    state.pending.delete(alarmId)
    render()
  }
}

// ---- rendering ----------------------------------------------------------------------

/**
 * @param {string} name
 * @param {boolean} isEmpty
 * @param {LocalizedText} message
 */
function showEmpty(name, isEmpty, message) {
  const el = find(`[data-empty="${name}"]`)
  el.hidden = !isEmpty
  if (isEmpty) setText(el, text(message))
}

/** @param {readonly Alarm[]} alarms */
function renderFireBanner(alarms) {
  const fires = activeFires(alarms)
  ui.fireBanner.hidden = fires.length === 0
  const zones = [...new Set(fires.map((a) => a.zone))]
  // Rebuilt only when the zones change: a role="alert" region re-announces every change.
  renderIfChanged(ui.fireBanner, JSON.stringify([zones, state.lang]), () =>
    fires.length === 0
      ? []
      : [
          h(
            'p',
            { class: 'fire-title' },
            h('span', { lang: 'zh-CN', text: '火警' }),
            ' ',
            h('span', { lang: 'en', text: 'FIRE' }),
          ),
          h('p', {
            class: 'fire-zones',
            text: text(TEXT.zone) + colon(state.lang) + zones.join(state.lang === 'zh-CN' ? '、' : ', '),
          }),
        ],
  )
}

function render() {
  const snapshot = state.snapshot
  const lang = state.lang
  if (!snapshot) {
    for (const list of [ui.alarmList, ui.deviceList, ui.ticketList, ui.noticeList])
      reconcile(
        list,
        [],
        () => '',
        // never called: there are no items
        (node) => /** @type {Element} */ (node),
      )
    for (const name of ['alarms', 'devices', 'tickets', 'notices']) showEmpty(name, true, TEXT.waiting)
    renderFireBanner([])
    setText(ui.alarmCount, '')
    setText(ui.storeName, text(TEXT.appTitle))
    document.title = text(TEXT.appTitle)
    updateSound([])
    return
  }
  const { store, user } = snapshot
  const timeZone = store.timeZone
  const nowMs = serverNow()
  const names = new Map(snapshot.devices.map((d) => [d.id, d.name]))
  const deviceName = (/** @type {string} */ id) => names.get(id) ?? null

  setText(ui.storeName, store.name)
  document.title = `${store.name} · ${text(TEXT.appTitle)}`
  setText(ui.user, `${text(TEXT.user)}${colon(lang)}${user.name} · ${label(ROLE_LABELS, user.role, lang)}`)
  setAttr(ui.user, 'data-role', user.role)

  const alarmCtx = {
    lang,
    role: user.role,
    timeZone,
    nowMs,
    deviceName,
    drafts: state.drafts,
    pending: state.pending,
    setForm,
    command,
  }
  const alarms = orderAlarms(snapshot.alarms)
  reconcile(
    ui.alarmList,
    alarms,
    (a) => a.id,
    (card, alarm) => upsertAlarmCard(card, alarm, alarmCtx),
  )
  // Drafts of alarms that are gone would otherwise reappear if the id came back.
  for (const id of state.drafts.keys()) if (!alarms.some((a) => a.id === id)) state.drafts.delete(id)
  showEmpty('alarms', alarms.length === 0, TEXT.noAlarms)
  setText(ui.alarmCount, alarms.length > 0 ? `(${alarms.length})` : '')
  renderFireBanner(alarms)
  updateSound(alarms)

  const panelCtx = { lang, timeZone, nowMs, deviceName }
  renderDevices(ui.deviceList, snapshot.devices, panelCtx)
  renderTickets(ui.ticketList, snapshot.tickets, panelCtx)
  renderNotices(ui.noticeList, snapshot.notices, panelCtx)
  showEmpty('devices', snapshot.devices.length === 0, TEXT.noDevices)
  showEmpty('tickets', snapshot.tickets.length === 0, TEXT.noTickets)
  showEmpty('notices', snapshot.notices.length === 0, TEXT.noNotices)
  ui.deviceTable.hidden = snapshot.devices.length === 0
  ui.ticketTable.hidden = snapshot.tickets.length === 0
}

// Ticket countdowns tick every second between snapshots; nothing else re-renders on a timer.
setInterval(() => {
  if (state.snapshot) paintCountdowns(ui.ticketList, serverNow(), state.lang)
}, 1000)

// ---- start ----------------------------------------------------------------------------

applyLanguage()
render()
const storedToken = storage.get('sessionStorage', TOKEN_KEY)
if (storedToken) signIn(storedToken)
else renderViews()
