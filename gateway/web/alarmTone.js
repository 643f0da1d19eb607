// @ts-check
/**
 * The console's alarm tone: a two-tone 880/660 Hz signal in 0.5 s pulses,
 * made with the Web Audio API so no sound file has to be served or cached.
 *
 * Browsers only let a page make sound after a user gesture, so `unlock()` is
 * called from the sign-in submit and from every later click or key press;
 * `isLocked()` tells the page to offer a button when the tone is wanted but
 * the browser still holds it back (e.g. after a reload with a stored token).
 *
 * `window.storeguardAudio.playing` follows the real tone, for browser tests.
 */

const HIGH_HZ = 880
const LOW_HZ = 660
const PULSE_MS = 500
const VOLUME = 0.2

/**
 * @typedef {object} AlarmTone
 * @property {() => void} unlock
 * @property {(on: boolean) => void} set
 * @property {boolean} playing
 * @property {() => boolean} isLocked
 */

/**
 * @param {{ onChange?: () => void }} [options]
 * @returns {AlarmTone}
 */
export function createAlarmTone({ onChange = () => {} } = {}) {
  const status = { playing: false }
  window.storeguardAudio = status
  /** @type {AudioContext | null} */
  let context = null
  /** @type {OscillatorNode | null} */
  let oscillator = null
  /** @type {GainNode | null} */
  let gain = null
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let pulseTimer
  let wanted = false

  function ensureContext() {
    if (context) return context
    const Context = window.AudioContext ?? window.webkitAudioContext
    if (!Context) return null
    try {
      context = new Context()
    } catch {
      return null
    }
    // resume() settles asynchronously: start the tone once it is really running.
    context.addEventListener('statechange', () => apply())
    return context
  }

  /** @param {AudioContext} ctx */
  function start(ctx) {
    oscillator = ctx.createOscillator()
    gain = ctx.createGain()
    oscillator.type = 'square'
    oscillator.frequency.value = HIGH_HZ
    gain.gain.value = VOLUME
    oscillator.connect(gain).connect(ctx.destination)
    oscillator.start()
    let high = true
    pulseTimer = setInterval(() => {
      high = !high
      oscillator?.frequency.setValueAtTime(high ? HIGH_HZ : LOW_HZ, ctx.currentTime)
    }, PULSE_MS)
  }

  function stop() {
    clearInterval(pulseTimer)
    pulseTimer = undefined
    try {
      oscillator?.stop()
    } catch {
      // already stopped
    }
    oscillator?.disconnect()
    gain?.disconnect()
    oscillator = null
    gain = null
  }

  function apply() {
    const canPlay = wanted && context?.state === 'running'
    if (canPlay && context && !oscillator) start(context)
    if (!canPlay && oscillator) stop()
    const playing = oscillator !== null
    if (status.playing !== playing) status.playing = playing
    onChange()
  }

  return {
    /** Call from a user gesture: creates or resumes the audio context. */
    unlock() {
      const ctx = ensureContext()
      if (ctx && ctx.state !== 'running') ctx.resume().catch(() => {})
      apply()
    },
    /** Whether the tone should sound now; idempotent, call on every snapshot. */
    set(on) {
      if (wanted === on) return
      wanted = on
      apply()
    },
    get playing() {
      return status.playing
    },
    /** The tone is wanted but the browser has not allowed sound yet. */
    isLocked() {
      return wanted && context?.state !== 'running'
    },
  }
}
