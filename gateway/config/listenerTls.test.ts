import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeServerCertificates } from '../../test/support/serverCertificates.js'
import { tempDir } from '../../test/support/tempDir.js'
import { isStoreGuardError } from '../core/errors.js'
import { loadGatewayTls, loadListenerTls } from './listenerTls.js'

/* Real PEM files made by openssl for this run; the loader reads them as the gateway's start does. */

const dir = tempDir()
const certs = makeServerCertificates(join(dir.path, 'certs'))
afterAll(() => dir.remove())

/** The message of what `load` throws, after checking it is a StoreGuardError. */
function failure(load: () => unknown): string {
  try {
    load()
  } catch (err) {
    expect(isStoreGuardError(err)).toBe(true)
    return (err as Error).message
  }
  throw new Error('expected the load to fail')
}

describe('loadListenerTls', () => {
  it('reads a certificate, its key and a client CA', () => {
    const tls = loadListenerTls({ cert: certs.cert, key: certs.key, ca: certs.ca }, 'broker.tls')
    expect(tls.cert.toString()).toContain('BEGIN CERTIFICATE')
    expect(tls.key.toString()).toContain('PRIVATE KEY')
    expect(tls.ca?.toString()).toContain('BEGIN CERTIFICATE')
  })

  it('leaves the CA out when none is set', () => {
    expect(loadListenerTls({ cert: certs.cert, key: certs.key }, 'api.tls').ca).toBeUndefined()
  })

  it('names the setting, the path and the reason of a missing file', () => {
    const missing = join(dir.path, 'nowhere.pem')
    expect(failure(() => loadListenerTls({ cert: missing, key: certs.key }, 'broker.tls'))).toBe(
      `broker.tls.cert: cannot read ${missing}: ENOENT`,
    )
    expect(failure(() => loadListenerTls({ cert: certs.cert, key: certs.key, ca: missing }, 'api.tls'))).toBe(
      `api.tls.ca: cannot read ${missing}: ENOENT`,
    )
  })

  it('refuses a key where the certificate belongs, and junk where the key belongs', () => {
    expect(failure(() => loadListenerTls({ cert: certs.key, key: certs.key }, 'broker.tls'))).toBe(
      `broker.tls.cert: ${certs.key} is not a PEM certificate`,
    )
    const junk = join(dir.path, 'junk.pem')
    writeFileSync(junk, 'not a key\n')
    expect(failure(() => loadListenerTls({ cert: certs.cert, key: junk }, 'api.tls'))).toMatch(
      new RegExp(`^api\\.tls\\.key: ${junk} is not an unencrypted PEM private key`),
    )
  })

  it('refuses a key that is not the certificate’s', () => {
    // the other CA's key is a valid key, just not the server certificate's
    const otherKey = join(dir.path, 'other.key')
    copyFileSync(certs.otherCa.replace(/\.crt$/, '.key'), otherKey)
    expect(failure(() => loadListenerTls({ cert: certs.cert, key: otherKey }, 'broker.tls'))).toBe(
      `broker.tls.key: ${otherKey} does not match the certificate in broker.tls.cert (${certs.cert})`,
    )
  })
})

describe('loadGatewayTls', () => {
  it('loads only the listeners that have TLS, and the broker’s only in embedded mode', () => {
    const tls = { cert: certs.cert, key: certs.key, port: 8883 }
    expect(loadGatewayTls({ broker: { mode: 'embedded' }, api: {} })).toEqual({ broker: null, api: null })
    const both = loadGatewayTls({ broker: { mode: 'embedded', tls }, api: { tls } })
    expect(both.broker?.cert).toBeInstanceOf(Buffer)
    expect(both.api?.key).toBeInstanceOf(Buffer)
    expect(loadGatewayTls({ broker: { mode: 'external', tls }, api: {} }).broker).toBeNull()
  })
})
