import { randomBytes } from 'node:crypto'
import { hashSecret } from '../security/secretHash.js'

let hash: string | undefined

/**
 * What an unknown username's password is checked against: a hash of a
 * random secret nobody knows, made by `hashSecret` with the same
 * parameters as the configured ones. Checking it costs what a wrong password
 * for a known user costs, so the time of a refusal does not tell whether a
 * username exists. Made once per process, on first use (one hash run).
 */
export function unknownUserHash(): string {
  hash ??= hashSecret(randomBytes(32).toString('base64'))
  return hash
}
