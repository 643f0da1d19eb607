// @ts-check
/**
 * JSON calls of the console's work panels (tickets, notices, alarm history),
 * with the bearer token in a header, never in the URL. Errors come back as
 * api.js's ApiError, so every panel shows them the same way.
 */
import { ApiError, requestJson } from './api.js'
import { state } from './consoleState.js'

/**
 * @param {'GET' | 'POST' | 'DELETE'} method
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<unknown>}
 */
export function callApi(method, path, body) {
  if (!state.token) return Promise.reject(new ApiError(401, ''))
  return requestJson(state.token, method, path, body)
}
