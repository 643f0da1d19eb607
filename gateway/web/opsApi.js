// @ts-check
/**
 * JSON calls of the console's work panels (tickets, notices, alarm history),
 * with the bearer token in a header, never in the URL. Errors come back as
 * api.js's ApiError, so every panel shows them the same way.
 */
import { ApiError, errorMessage } from './api.js'
import { state } from './consoleState.js'

/**
 * @param {'GET' | 'POST' | 'DELETE'} method
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<unknown>}
 */
export async function callApi(method, path, body) {
  if (!state.token) throw new ApiError(401, '')
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${state.token}`, accept: 'application/json' }
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

/** Roles, least to most trusted, as gateway/core/roles.ts. */
const ROLES = ['viewer', 'staff', 'maintenance', 'manager', 'admin']

/**
 * Whether to offer a command: the server checks the role again, this only spares a button that would answer 403.
 * @param {string} role
 * @param {string} needed
 */
export function roleAtLeast(role, needed) {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed)
}
