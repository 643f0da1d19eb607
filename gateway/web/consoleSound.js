// @ts-check
/**
 * The alarm tone and its controls: it sounds while an alarm needs it, mute
 * silences only the alarms sounding now, and any gesture unlocks audio.
 */
import { createAlarmTone } from './alarmTone.js'
import { needsSound } from './alarmView.js'
import { ui } from './consoleDom.js'
import { serverNow, state } from './consoleState.js'
import { setAttr } from './dom.js'

/** @typedef {import('./types.js').Alarm} Alarm */

export const tone = createAlarmTone({ onChange: () => renderSoundControls() })

/** Any click or key press lets the browser play sound (needed after a reload with a stored token). */
for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => tone.unlock(), { capture: true })

/** @param {readonly Alarm[]} alarms */
export function updateSound(alarms) {
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

export function renderSoundControls() {
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
