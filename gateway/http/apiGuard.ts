import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiUserConfig, Role } from '../config/schema.js'
import { StoreGuardError } from '../core/errors.js'
import { parseBearer, roleAtLeast, type TokenAuth } from './tokenAuth.js'

/** Why a request was turned away; a metric label, so snake_case. */
export type AuthRejection = 'missing_token' | 'invalid_token' | 'role_too_low'

/** RFC 6750 §3: a 401 names the scheme; `error="invalid_token"` when one was sent but is wrong. */
const CHALLENGE = 'Bearer realm="storeguard"'
const CHALLENGE_INVALID = 'Bearer realm="storeguard", error="invalid_token"'

export interface ApiGuard {
  /** An onRequest hook: 401 without a valid bearer token, 403 below `needed`. Runs before the body is read. */
  require(needed: Role): (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  /** 403 unless the authenticated user has `needed`; for roles known only from the validated params. */
  assertRole(request: FastifyRequest, needed: Role): void
  /** The authenticated user; only in routes guarded by `require`. */
  userOf(request: FastifyRequest): ApiUserConfig
}

/**
 * SPEC §7/§9: HTTP tokens with roles. Requests carry the user in a WeakMap
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
      return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
        const token = parseBearer(request.headers.authorization)
        if (token === null) {
          onReject('missing_token', request)
          reply.header('www-authenticate', CHALLENGE)
          throw new StoreGuardError('unauthorized', 'a bearer token is required')
        }
        const user = await auth.authenticate(token)
        if (user === null) {
          onReject('invalid_token', request)
          reply.header('www-authenticate', CHALLENGE_INVALID)
          throw new StoreGuardError('unauthorized', 'the bearer token is not valid')
        }
        userByRequest.set(request, user)
        assertRole(request, needed)
      }
    },
    assertRole,
    userOf,
  }
}
