// @ts-check
/**
 * Alarm commands from the console: opening an inline form, and POSTing an
 * acknowledge, reset or shelve. The page never changes the alarm itself; the
 * server's next snapshot does.
 */
import { emptyDraft } from './alarmForms.js'
import { postAlarmCommand } from './api.js'
import { ui } from './consoleDom.js'
import { state, text } from './consoleState.js'
import { setText } from './dom.js'
import { colon, TEXT } from './i18n.js'

/** @typedef {import('./types.js').LocalizedText} LocalizedText */
/** @typedef {import('./alarmForms.js').FormName} FormName */

/**
 * @param {{ render(): void, signOut(error: LocalizedText): void }} page what a command redraws, and how a lapsed session ends
 */
export function createAlarmCommands({ render, signOut }) {
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

  return { setForm, command }
}
