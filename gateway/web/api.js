// @ts-check
/** The console's commands to the gateway's JSON API (docs/requirements.md#console), with the bearer token in a header. */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {string | null} [code]
   */
  constructor(status, message, code = null) {
    super(message)
    this.name = 'ApiError'
    /** HTTP status; 0 when the gateway could not be reached. */
    this.status = status
    this.code = code
  }
}

/**
 * The message of an error body. The gateway answers `{ error: { code,
 * message } }` (gateway/http/apiErrors.ts); a proxy or an older server may
 * answer `{ message }` or `{ error: '...' }`, so take whichever is there.
 * @param {unknown} body
 * @param {number} status
 * @returns {{ message: string, code: string | null }}
 */
export function errorMessage(body, status) {
  if (body && typeof body === 'object') {
    /** @type {{ message?: unknown, error?: unknown }} */
    const { message, error } = body
    if (typeof message === 'string' && message) return { message, code: null }
    if (typeof error === 'string' && error) return { message: error, code: null }
    if (
      error &&
      typeof error === 'object' &&
      'message' in error &&
      typeof error.message === 'string' &&
      error.message
    ) {
      return { message: error.message, code: 'code' in error && typeof error.code === 'string' ? error.code : null }
    }
  }
  return { message: `HTTP ${status}`, code: null }
}

/**
 * One JSON call with the bearer token in a header (never in the URL); resolves with the JSON
 * answer, rejects with ApiError (status 0 when the gateway could not be reached).
 * @param {string} token
 * @param {'GET' | 'POST' | 'DELETE'} method
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<unknown>}
 */
export async function requestJson(token, method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    })
  } catch {
    throw new ApiError(0, '')
  }
  const payload = await response.json().catch(() => null)
  if (!response.ok) {
    const { message, code } = errorMessage(payload, response.status)
    throw new ApiError(response.status, message, code)
  }
  return payload
}

/**
 * POST /api/alarms/:id/{ack|reset|shelve}; resolves with the JSON answer, rejects with ApiError.
 * @param {string} token
 * @param {string} alarmId
 * @param {'ack' | 'reset' | 'shelve'} command
 * @param {object} body
 * @returns {Promise<unknown>}
 */
export function postAlarmCommand(token, alarmId, command, body) {
  return requestJson(token, 'POST', `/api/alarms/${encodeURIComponent(alarmId)}/${command}`, body)
}
