/**
 * What the pages add to the browser's own objects, for the type check:
 * values kept on DOM nodes between renders, and the names a browser may
 * or may not have.
 */
import type { Ticket } from './types.js'

declare global {
  interface Window {
    /** Follows the real alarm tone, so browser tests can tell it is playing. */
    storeguardAudio?: { playing: boolean }
    /** Older Safari's name for AudioContext. */
    webkitAudioContext?: typeof AudioContext
  }
  interface Element {
    /** renderIfChanged(): what the content was last rendered from. */
    sgSignature?: string
    /** reconcile(): the child node of each item key. */
    sgNodes?: Map<string, Element>
    /** An alarm card's number, unique in the page, for its forms' element ids. */
    sgUid?: number
    /** A ticket row's ticket, for the countdown painted every second. */
    sgTicket?: Ticket
  }
}
