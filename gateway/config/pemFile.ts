import { readFileSync } from 'node:fs'
import { StoreGuardError } from '../core/errors.js'

/**
 * A PEM file named in the config (a CA, a certificate, a key), read once at
 * start. A missing or unreadable file stops the start with the setting and
 * the path (STYLE §3), instead of a TLS error on every connection later.
 */
export function readPem(path: string, setting: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new StoreGuardError('config_unreadable', `${setting}: cannot read ${path}`, { cause: err })
  }
}
