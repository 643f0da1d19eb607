import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiUserConfig, Role } from '../config/schema.js'
import { StoreGuardError } from '../core/errors.js'
import { sourceKey } from '../security/remoteAddress.js'
import type { ApiErrorBody } from './apiErrors.js'
import { parseBearer, roleAtLeast, type TokenAuth } from './tokenAuth.js'

/**
 * Why a request was turned away; a metric label, so snake_case. `busy` and
 * `login_backoff` are answered 429 with the token unchecked; `invalid_token`
 * (401) only ever means the token was checked and is wrong.
 */
export type AuthRejection = 'missing_token' | 'invalid_token' | 'role_too_low' | 'busy' | 'login_backoff'

/** RFC 6750 §3: a 401 names the scheme; `error="invalid_token"` when one was sent but is wrong. */
const CHALLENGE = 'Bearer realm="storeguard"'
const CHALLENGE_INVALID = 'Bearer realm="storeguard", error="invalid_token"'

export interface ApiGuard {
  /**
   * An onRequest hook: 401 without a valid bearer token, 403 below `needed`, 429 when the token
   * could not be checked yet. Runs before the body is read. Resolves with the reply once it sent one.
   */
  require(needed: Role): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>
  /** 403 unless the authenticated user has `needed`; for roles known only from the validated params. */
  assertRole(request: FastifyRequest, needed: Role): void
  /** The authenticated user; only in routes guarded by `require`. */
  userOf(request: FastifyRequest): ApiUserConfig
}

/**
 * docs/requirements.md#http-api, docs/requirements.md#security: HTTP tokens with roles. Requests carry the user in a WeakMap
 * rather than a Fastify decorator, so no global type augmentation leaks out.
 */
export function createApiGuard(
  auth: TokenAuth,
  onReject: (reason: AuthRejection, request: FastifyRequest) => void,
): ApiGuard {
  const userByRequest = new WeakMap<FastifyRequest, ApiUserConfig>()

  function assertRole(request: FastifyRequest, needed: Role): void {
    const user = userOf(request)
    if (roleAtLeast(user.role, needed)) return
    onReject('role_too_low', request)
    throw new StoreGuardError('forbidden', `role ${needed} or higher required`)
  }

  function userOf(request: FastifyRequest): ApiUserConfig {
    const user = userByRequest.get(request)
    // a route that reads the user without require() is a programming error
    if (user === undefined) throw new Error(`route ${request.routeOptions.url ?? '?'} is not guarded`)
    return user
  }

  return {
    require(needed: Role) {
      return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
        const token = parseBearer(request.headers.authorization)
        if (token === null) {
          onReject('missing_token', request)
          reply.header('www-authenticate', CHALLENGE)
          throw new StoreGuardError('unauthorized', 'a bearer token is required')
        }
        // request.ip is the socket's peer: no trustProxy, so a client cannot pick the address it is throttled under
        const result = await auth.authenticate(token, sourceKey(request.ip))
        if (result.kind === 'busy' || result.kind === 'backoff') {
          const reason = result.kind === 'busy' ? 'busy' : 'login_backoff'
          onReject(reason, request)
          const retryAfterSec = Math.max(1, Math.ceil(result.retryAfterMs / 1000))
          return tooManyRequests(reply, reason, retryAfterSec)
        }
        if (result.kind === 'wrong') {
          onReject('invalid_token', request)
          reply.header('www-authenticate', CHALLENGE_INVALID)
          throw new StoreGuardError('unauthorized', 'the bearer token is not valid')
        }
        const { user } = result
        userByRequest.set(request, user)
        assertRole(request, needed)
        return undefined
      }
    },
    assertRole,
    userOf,
  }
}

/**
 * 429 with Retry-After for a token that was not checked: a client (or the
 * console) must retry later rather than conclude its token is wrong.
 */
function tooManyRequests(reply: FastifyReply, reason: 'busy' | 'login_backoff', retryAfterSec: number): FastifyReply {
  const body: ApiErrorBody =
    reason === 'busy'
      ? {
          error: {
            code: 'auth_busy',
            message: `token checks from this address are queued full; retry in ${retryAfterSec} s`,
          },
        }
      : {
          error: {
            code: 'auth_backoff',
            message: `too many failed sign-ins from this address; retry in ${retryAfterSec} s`,
          },
        }
  // returned from the hook once sent: Fastify then runs neither later hooks nor the handler
  return reply.code(429).header('retry-after', String(retryAfterSec)).send(body)
}
