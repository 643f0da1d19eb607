import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { StoreGuardError } from '../core/errors.js'

/**
 * A PEM file named in the config (a CA, a certificate, a key), read once at
 * start. A missing or unreadable file stops the start with the setting and
 * the path (docs/design.md#boundaries-never-throw), instead of a TLS error on every connection later.
 */
export function readPem(path: string, setting: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new StoreGuardError('config_unreadable', `${setting}: cannot read ${path}${code ? `: ${code}` : ''}`, {
      cause: err,
    })
  }
}

/** A PEM file that must hold at least one certificate; the first one is parsed, to catch a key or junk there. */
export function readPemCertificate(path: string, setting: string): { pem: Buffer; first: X509Certificate } {
  const pem = readPem(path, setting)
  const message = `${setting}: ${path} is not a PEM certificate`
  // X509Certificate takes DER too; the config promises PEM, which the TLS stacks need
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new StoreGuardError('config_invalid', message)
  try {
    return { pem, first: new X509Certificate(pem) }
  } catch (err) {
    throw new StoreGuardError('config_invalid', message, { cause: err })
  }
}

/** A PEM private key without a passphrase: the gateway starts unattended, nobody could type one. */
export function readPemPrivateKey(path: string, setting: string): { pem: Buffer; key: KeyObject } {
  const pem = readPem(path, setting)
  try {
    return { pem, key: createPrivateKey(pem) }
  } catch (err) {
    throw new StoreGuardError(
      'config_invalid',
      `${setting}: ${path} is not an unencrypted PEM private key (${(err as Error).message})`,
      { cause: err },
    )
  }
}
