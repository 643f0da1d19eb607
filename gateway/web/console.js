// @ts-check
/**
 * The staff console (`/`): sign in with an API token, then show what
 * `GET /api/stream` sends — alarms, devices, tickets, notices — and let staff
 * acknowledge, reset and shelve alarms (docs/requirements.md#console). The page never changes data
 * by itself: a command is POSTed and the server's next snapshot shows the
 * result, so every tablet in the store shows the same truth.
 *
 * This module wires the page together: sign-in and the stream, language, and
 * rendering a snapshot. Its state, page chrome, sound, alarm commands and
 * fire banner are modules of their own.
 */
import { upsertAlarmCard } from './alarmCard.js'
import { createAlarmCommands } from './alarmCommands.js'
import { orderAlarms } from './alarmView.js'
import { applyLanguage, renderViews, setConnection } from './consoleChrome.js'
import { showEmpty, ui } from './consoleDom.js'
import { tone, updateSound } from './consoleSound.js'
import { knownLang, LANG_KEY, serverNow, state, storage, TOKEN_KEY, text } from './consoleState.js'
import { reconcile, setAttr, setText } from './dom.js'
import { renderFireBanner } from './fireBanner.js'
import { colon, label, ROLE_LABELS, TEXT } from './i18n.js'
import { paintTicketCountdowns, renderOps } from './opsPanels.js'
import { renderDevices } from './panels.js'
import { openEventStream } from './sse.js'
import { callableNumbers } from './telLinks.js'

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./types.js').ConsoleSnapshot} ConsoleSnapshot */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */

// ---- language ---------------------------------------------------------------

ui.langSwitch.addEventListener('click', () => {
  state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN'
  state.langChosen = true
  storage.set('localStorage', LANG_KEY, state.lang)
  applyLanguage()
  render()
})

// ---- stream and session ---------------------------------------------------------

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

// ---- alarm commands -------------------------------------------------------------

// render and signOut are declared below; the commands call them only after the page has started
const { setForm, command } = createAlarmCommands({ render: () => render(), signOut: (error) => signOut(error) })

// ---- rendering ----------------------------------------------------------------------

function render() {
  const snapshot = state.snapshot
  renderOps(snapshot)
  const lang = state.lang
  if (!snapshot) {
    for (const list of [ui.alarmList, ui.deviceList])
      reconcile(
        list,
        [],
        () => '',
        // never called: there are no items
        (node) => /** @type {Element} */ (node),
      )
    for (const name of ['alarms', 'devices']) showEmpty(name, true, TEXT.waiting)
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
  const byId = new Map(snapshot.devices.map((d) => [d.id, d]))
  const deviceName = (/** @type {string} */ id) => byId.get(id)?.name ?? null
  const deviceType = (/** @type {string} */ id) => byId.get(id)?.type ?? null
  const zones = store.zones

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
    deviceType,
    zones,
    numbers: callableNumbers(store.hotline),
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

  renderDevices(ui.deviceList, snapshot.devices, { lang, timeZone, zones, alarms })
  showEmpty('devices', snapshot.devices.length === 0, TEXT.noDevices)
  ui.deviceTable.hidden = snapshot.devices.length === 0
}

// Ticket countdowns tick every second between snapshots; nothing else re-renders on a timer.
setInterval(paintTicketCountdowns, 1000)

// ---- start ----------------------------------------------------------------------------

applyLanguage()
render()
const storedToken = storage.get('sessionStorage', TOKEN_KEY)
if (storedToken) signIn(storedToken)
else renderViews()
