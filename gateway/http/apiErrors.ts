import { type ErrorCode, isStoreGuardError } from '../core/errors.js'

/** Codes the API answers with: the core's codes plus HTTP-only ones. Clients switch on these. */
export type ApiErrorCode =
  | ErrorCode
  | 'bad_request'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal'
  /** 429: this address has too many token checks waiting; the token was not checked. */
  | 'auth_busy'
  /** 429: this address failed too many sign-ins and is backed off; the token was not checked. */
  | 'auth_backoff'

/** The JSON body of every error response (docs/requirements.md#http-api: JSON API). */
export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string }
}

export interface HttpFailure {
  readonly status: number
  readonly body: ApiErrorBody
}

/** The core's codes the API passes through, and their statuses; any other core error is a 500. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  alarm_not_found: 404,
  alarm_transition_invalid: 409,
  condition_still_active: 409,
  note_required: 400,
  shelve_not_allowed: 409,
  notice_not_found: 404,
  notice_not_withdrawable: 409,
  too_many_notices: 409,
  ticket_not_found: 404,
  ticket_transition_invalid: 409,
  network_fault_not_found: 404,
  rule_disabled: 409,
  // the report was not raised: the person must fall back to the phone, not believe it went through
  rule_failed: 500,
}

/** Fastify's own 4xx errors (validation, parsing, limits) carry `statusCode`. */
interface ClientError {
  readonly statusCode: number
  readonly message: string
  readonly validation?: unknown
}

function isClientError(err: unknown): err is ClientError {
  const status = (err as { statusCode?: unknown } | null)?.statusCode
  return err instanceof Error && typeof status === 'number' && status >= 400 && status < 500
}

function failure(status: number, code: ApiErrorCode, message: string): HttpFailure {
  return { status, body: { error: { code, message } } }
}

/**
 * Maps anything a route or hook threw to a status and error body. Unknown
 * errors become a 500 with a fixed message: internals stay in the log.
 */
export function toHttpFailure(err: unknown): HttpFailure {
  if (isStoreGuardError(err)) {
    const status = STATUS_BY_CODE[err.code]
    if (status !== undefined) return failure(status, err.code, err.message)
  } else if (isClientError(err)) {
    if (err.validation !== undefined) return failure(400, 'bad_request', err.message)
    if (err.statusCode === 413) return failure(413, 'payload_too_large', err.message)
    if (err.statusCode === 415) return failure(415, 'unsupported_media_type', err.message)
    return failure(err.statusCode, 'bad_request', err.message)
  }
  return failure(500, 'internal', 'internal error')
}

export function notFound(method: string, url: string): HttpFailure {
  return failure(404, 'not_found', `no route ${method} ${url.split('?')[0] ?? ''}`)
}
