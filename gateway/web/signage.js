// @ts-check
/**
 * Customer signage (`/signage`): the store's active customer notices, in
 * Chinese and then English, in the polite service language of the operator's
 * code of conduct (the service-language rules, docs/requirements.md#service-language: apologise for the inconvenience, ask for
 * understanding). No sign-in, read only. The server sends customer notices
 * only (SignageSnapshot) — never an alarm, never a staff notice — and this
 * page shows nothing else, so a fault never alarms a customer.
 *
 * An emergency notice (evacuation during a fire, docs/requirements.md#emergency-notice) is
 * shown alone and full screen; the others wait behind it. Otherwise notices
 * that do not fit on one screen are paged, a page every `rotateSec`.
 */
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import { paginate, showPage, shrinkToFit } from './signageLayout.js'
import { openEventStream } from './sse.js'

/** The service-language rules (docs/requirements.md#service-language) §二十五.2: "非常抱歉给您的工作带来了不便……请您谅解。" */
const APOLOGY = { 'zh-CN': '给您带来不便，敬请谅解。', en: 'We apologise for the inconvenience.' }
/** When every notice already apologises, thank instead of apologising twice (the service-language rules, docs/requirements.md#service-language: "谢谢您的配合"). */
const THANKS = { 'zh-CN': '感谢您的理解与配合！', en: 'Thank you for your understanding.' }
const APOLOGISES = /谅解|抱歉|歉意|apologi[sz]e|sorry/i
/** Until the first snapshot says otherwise: the `signage.rotateSec` default. */
const DEFAULT_ROTATE_SEC = 10

/**
 * An element signage.html has; the page cannot work without any of them.
 * @param {string} selector
 */
const find = (selector) => /** @type {HTMLElement} */ (document.querySelector(selector))

const ui = {
  store: find('[data-testid="signage-store"]'),
  screen: find('.screen'),
  welcome: find('[data-testid="signage-welcome"]'),
  section: find('[data-testid="signage-section"]'),
  list: find('[data-testid="signage-notices"]'),
  pager: find('[data-testid="signage-pager"]'),
  closingZh: find('[data-testid="signage-closing"] .zh'),
  closingEn: find('[data-testid="signage-closing"] .en'),
  emergency: find('[data-testid="signage-emergency"]'),
  emergencyBody: find('[data-testid="signage-emergency"] .emergency-body'),
  emergencyTexts: find('[data-testid="signage-emergency"] .emergency-texts'),
}

/** The pages of ordinary notices, the one on screen, and the timer that turns them. */
const paging = {
  /** @type {HTMLElement[][]} */
  pages: [],
  index: 0,
  rotateSec: DEFAULT_ROTATE_SEC,
  /** @type {ReturnType<typeof setInterval> | null} */
  timer: null,
}

/** @param {import('./types.js').SignageSnapshot} snapshot */
function render(snapshot) {
  // Oldest first: a new notice joins at the end instead of pushing the one being read away.
  const all = [...(snapshot.notices ?? [])].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
  const emergencies = all.filter((n) => n.emergency === true)
  const notices = all.filter((n) => n.emergency !== true)
  setText(ui.store, snapshot.store?.name ?? '')
  ui.welcome.hidden = notices.length > 0
  ui.section.hidden = notices.length === 0
  setAttr(document.body, 'data-count', String(Math.min(notices.length, 3)))
  renderEmergency(emergencies)

  reconcile(
    ui.list,
    notices,
    (n) => n.id,
    (node, notice) => {
      node ??= h('article', { class: 'notice', 'data-testid': 'signage-notice' })
      setAttr(node, 'data-notice-id', notice.id)
      // The machine's configured name ("Terminal 1"): the text says "this machine", customers need to know which.
      renderIfChanged(node, JSON.stringify([notice.texts, notice.deviceName ?? null]), () => [
        notice.deviceName && h('p', { class: 'where', text: notice.deviceName }),
        h('p', { class: 'zh', text: notice.texts?.['zh-CN'] ?? '' }),
        notice.texts?.en && h('p', { class: 'en', lang: 'en', text: notice.texts.en }),
      ])
      return node
    },
  )

  const allApologise = notices.length > 0 && notices.every((n) => APOLOGISES.test(n.texts?.['zh-CN'] ?? ''))
  const closing = allApologise ? THANKS : APOLOGY
  setText(ui.closingZh, closing['zh-CN'])
  setText(ui.closingEn, closing.en)

  const rotateSec = Number(snapshot.rotateSec) > 0 ? Number(snapshot.rotateSec) : DEFAULT_ROTATE_SEC
  if (rotateSec !== paging.rotateSec || paging.timer === null) restartRotation(rotateSec)
  layout()
}

/**
 * The emergency notice over everything, full screen; the ordinary page under it
 * is hidden from screen readers too, so nothing competes with it.
 * @param {readonly import('./types.js').SignageNotice[]} emergencies
 */
function renderEmergency(emergencies) {
  const on = emergencies.length > 0
  ui.emergency.hidden = !on
  ui.screen.hidden = on
  ui.store.hidden = on
  setAttr(document.body, 'data-emergency', String(on))
  renderIfChanged(ui.emergencyTexts, JSON.stringify(emergencies.map((n) => n.texts)), () =>
    emergencies.map((n) =>
      h(
        'div',
        { class: 'emergency-notice', 'data-testid': 'signage-emergency-notice' },
        h('p', { class: 'zh', text: n.texts?.['zh-CN'] ?? '' }),
        n.texts?.en && h('p', { class: 'en', lang: 'en', text: n.texts.en }),
      ),
    ),
  )
}

/** Measures and pages again: after new notices, and when the screen changes size. */
function layout() {
  if (!ui.emergency.hidden) {
    const box = ui.emergency
    const body = ui.emergencyBody
    shrinkToFit(body, () => body.offsetHeight <= box.clientHeight && body.scrollWidth <= box.clientWidth)
  }
  if (ui.section.hidden) {
    paging.pages = []
    paging.index = 0
  } else {
    const nodes = /** @type {HTMLElement[]} */ ([...ui.list.children])
    paging.pages = paginate(ui.list, nodes)
    if (paging.index >= paging.pages.length) paging.index = 0
  }
  showCurrentPage()
}

function showCurrentPage() {
  showPage(paging.pages, paging.index)
  const count = paging.pages.length
  ui.pager.hidden = count < 2
  setText(ui.pager, `${paging.index + 1} / ${count}`)
  // for the people and tests checking the screen: which page is up, of how many
  setAttr(ui.list, 'data-page', String(paging.index))
  setAttr(ui.list, 'data-pages', String(count))
}

/** @param {number} rotateSec */
function restartRotation(rotateSec) {
  if (paging.timer !== null) clearInterval(paging.timer)
  paging.rotateSec = rotateSec
  paging.timer = setInterval(() => {
    if (paging.pages.length < 2) return
    paging.index = (paging.index + 1) % paging.pages.length
    showCurrentPage()
  }, rotateSec * 1000)
}

function start() {
  openEventStream({
    url: '/api/signage/stream',
    onEvent(event) {
      if (event.type !== 'snapshot') return
      try {
        render(JSON.parse(event.data))
      } catch {
        // A torn event: keep showing the last good notices; the next snapshot is whole.
      }
    },
    // Reconnects silently (the stream backs off by itself): the last notices stay
    // up, because a screen that flashes "offline" at customers helps nobody.
    onUnauthorized() {
      // The signage stream needs no sign-in; a 401 is a misconfigured proxy. Try again later.
      setTimeout(start, 60_000)
    },
  })
}

// A screen turned or resized (a kiosk browser starting up) pages again at its new size.
window.addEventListener('resize', layout)
start()
