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
 * POST /api/alarms/:id/{ack|reset|shelve}; resolves with the JSON answer, rejects with ApiError.
 * @param {string} token
 * @param {string} alarmId
 * @param {'ack' | 'reset' | 'shelve'} command
 * @param {object} body
 * @returns {Promise<unknown>}
 */
export async function postAlarmCommand(token, alarmId, command, body) {
  let response
  try {
    response = await fetch(`/api/alarms/${encodeURIComponent(alarmId)}/${command}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
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
