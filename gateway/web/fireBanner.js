// @ts-check
/** The fire banner across the top of the console: the zones of every fire not yet handled. */
import { activeFires } from './alarmView.js'
import { ui } from './consoleDom.js'
import { state, text } from './consoleState.js'
import { h, renderIfChanged } from './dom.js'
import { colon, TEXT } from './i18n.js'
import { zoneName } from './names.js'

/** @typedef {import('./types.js').Alarm} Alarm */

/** @param {readonly Alarm[]} alarms */
export function renderFireBanner(alarms) {
  const fires = activeFires(alarms)
  ui.fireBanner.hidden = fires.length === 0
  const names = state.snapshot?.store.zones
  const zones = [...new Set(fires.map((a) => zoneName(names, a.zone, state.lang)))]
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
