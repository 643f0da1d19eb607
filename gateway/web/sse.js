// @ts-check
/**
 * Server-Sent Events over `fetch`, for both pages. EventSource cannot send an
 * `Authorization` header and the console's token must never go in a URL (it
 * would land in proxy and access logs), so we read `response.body` and parse
 * the event stream ourselves (WHATWG HTML §9.2 "Parsing an event stream").
 */

/** @typedef {import('./types.js').StreamEvent} StreamEvent */
/** @typedef {'connecting' | 'live' | 'reconnecting' | 'stopped'} StreamState */

/**
 * An incremental event-stream parser: feed it text as it arrives, in any
 * chunking, and it calls `onEvent({ type, data, id })` for each complete
 * event. Comment lines (`:` keep-alives) and unknown fields are ignored.
 * @param {(event: StreamEvent) => void} onEvent
 * @returns {{ feed(chunk: string): void }}
 */
export function createSseParser(onEvent) {
  let buffer = ''
  /** @type {string[]} */
  let data = []
  let type = ''
  let lastId = ''
  let first = true

  function dispatch() {
    // §9.2: an event with no data lines is not dispatched; the type resets either way.
    if (data.length > 0) onEvent({ type: type || 'message', data: data.join('\n'), id: lastId })
    data = []
    type = ''
  }

  /** @param {string} text */
  function line(text) {
    if (text === '') return dispatch()
    if (text.startsWith(':')) return
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') type = value
    else if (field === 'id' && !value.includes('\0')) lastId = value
    // `retry` is ignored on purpose: the back-off below is the store's policy, not the server's.
  }

  return {
    feed(chunk) {
      buffer += chunk
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1)
        first = false
      }
      // Lines end in CRLF, LF or CR. A CR at the very end may be half of a CRLF
      // split across chunks, so it waits for the next chunk.
      for (;;) {
        const match = /\r\n|\n|\r/.exec(buffer)
        if (!match) break
        if (match[0] === '\r' && match.index === buffer.length - 1) break
        line(buffer.slice(0, match.index))
        buffer = buffer.slice(match.index + match[0].length)
      }
    },
  }
}

/**
 * A quick first retry (a gateway restart takes a second or two), then at most one try every 15 s.
 * @param {number} attempt
 * @returns {number}
 */
export function backoffMs(attempt) {
  return Math.min(1000 * 2 ** attempt, 15_000)
}

/**
 * Keeps one event stream open until `stop()`: connects, parses, and on any
 * drop (network error, server restart, non-2xx, silence) reconnects after
 * 1 s, 2 s, 4 s … at most 15 s. A 401 stops for good and calls
 * `onUnauthorized`: retrying a wrong token would only fill the server's log.
 *
 * `onState` gets `'connecting'` (first try), `'live'` (response open),
 * `'reconnecting'` (waiting to retry) and `'stopped'`.
 * @param {{
 *   url: string,
 *   headers?: Record<string, string>,
 *   onEvent: (event: StreamEvent) => void,
 *   onState?: (state: StreamState) => void,
 *   onUnauthorized?: () => void,
 *   idleMs?: number,
 * }} options
 * @returns {{ stop(): void }}
 */
export function openEventStream({
  url,
  headers = {},
  onEvent,
  onState = () => {},
  onUnauthorized = () => {},
  idleMs = 45_000,
}) {
  let stopped = false
  /** @type {AbortController | null} */
  let controller = null
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let retryTimer
  /** @type {((value?: unknown) => void) | null} */
  let wake = null
  let attempt = 0

  /** @returns {Promise<'retry' | 'unauthorized'>} */
  async function connectOnce() {
    controller = new AbortController()
    const { signal } = controller
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let idleTimer
    // A half-open TCP connection (tablet asleep, Wi-Fi roamed) never errors:
    // the server's keep-alive comments arrive every few seconds, so long
    // silence means the connection is dead and we start over.
    const touch = () => {
      clearTimeout(idleTimer)
      idleTimer = setTimeout(() => controller?.abort(), idleMs)
    }
    try {
      touch()
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream', ...headers },
        cache: 'no-store',
        signal,
      })
      if (response.status === 401) return 'unauthorized'
      if (!response.ok || !response.body) return 'retry'
      onState('live')
      const parser = createSseParser((event) => {
        // A good event proves the stream works; only then is the back-off forgotten.
        attempt = 0
        onEvent(event)
      })
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return 'retry'
        touch()
        parser.feed(value)
      }
    } catch {
      return 'retry'
    } finally {
      clearTimeout(idleTimer)
    }
  }

  async function run() {
    onState('connecting')
    while (!stopped) {
      const outcome = await connectOnce()
      if (stopped) break
      if (outcome === 'unauthorized') {
        stopped = true
        onState('stopped')
        onUnauthorized()
        return
      }
      onState('reconnecting')
      const delay = backoffMs(attempt)
      attempt += 1
      await new Promise((resolve) => {
        wake = resolve
        retryTimer = setTimeout(resolve, delay)
      })
    }
  }

  run()
  return {
    stop() {
      stopped = true
      clearTimeout(retryTimer)
      wake?.()
      controller?.abort()
      onState('stopped')
    },
  }
}
