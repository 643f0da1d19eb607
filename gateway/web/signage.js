// @ts-check
/**
 * Customer signage (`/signage`): the store's active customer notices, in
 * Chinese and then English, in the polite service language of the operator's
 * code of conduct (the service-language rules, docs/requirements.md#service-language: apologise for the inconvenience, ask for
 * understanding). No sign-in, read only. The server sends customer notices
 * only (SignageSnapshot) — never an alarm, never a staff notice — and this
 * page shows nothing else, so a fault never alarms a customer.
 */
import { h, reconcile, renderIfChanged, setAttr, setText } from './dom.js'
import { openEventStream } from './sse.js'

/** The service-language rules (docs/requirements.md#service-language) §二十五.2: "非常抱歉给您的工作带来了不便……请您谅解。" */
const APOLOGY = { 'zh-CN': '给您带来不便，敬请谅解。', en: 'We apologise for the inconvenience.' }
/** When every notice already apologises, thank instead of apologising twice (the service-language rules, docs/requirements.md#service-language: "谢谢您的配合"). */
const THANKS = { 'zh-CN': '感谢您的理解与配合！', en: 'Thank you for your understanding.' }
const APOLOGISES = /谅解|抱歉|歉意|apologi[sz]e|sorry/i

/**
 * An element signage.html has; the page cannot work without any of them.
 * @param {string} selector
 */
const find = (selector) => /** @type {HTMLElement} */ (document.querySelector(selector))

const ui = {
  store: find('[data-testid="signage-store"]'),
  welcome: find('[data-testid="signage-welcome"]'),
  section: find('[data-testid="signage-section"]'),
  list: find('[data-testid="signage-notices"]'),
  closingZh: find('[data-testid="signage-closing"] .zh'),
  closingEn: find('[data-testid="signage-closing"] .en'),
}

/** @param {import('./types.js').SignageSnapshot} snapshot */
function render(snapshot) {
  // Oldest first: a new notice joins at the bottom instead of pushing the one being read away.
  const notices = [...(snapshot.notices ?? [])].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
  setText(ui.store, snapshot.store?.name ?? '')
  ui.welcome.hidden = notices.length > 0
  ui.section.hidden = notices.length === 0
  // The type gets smaller as notices are added so that all of them fit on one screen.
  setAttr(document.body, 'data-count', String(Math.min(notices.length, 4)))

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

start()
