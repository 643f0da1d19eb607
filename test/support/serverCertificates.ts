import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** PEM file paths for an https server on 127.0.0.1, and a CA that did not sign it. */
export interface ServerCertificates {
  /** The CA that signed `cert`. */
  readonly ca: string
  /** Certificate for IP 127.0.0.1 and localhost, signed by `ca`. */
  readonly cert: string
  readonly key: string
  /** A CA of its own that never signed anything here: trusting it alone must refuse the server. */
  readonly otherCa: string
}

/**
 * A test CA and a server certificate for 127.0.0.1 made by openssl in `dir`
 * (prime256v1 keys, valid two days), the way the bridge's TLS test makes its
 * chain: real certificates, verified by the real TLS stacks on both ends.
 */
export function makeServerCertificates(dir: string): ServerCertificates {
  mkdirSync(dir, { recursive: true })
  const openssl = inDir(dir)
  openssl(`req -x509 ${NEW_KEY} -keyout ca.key -out ca.crt -days 2`, '-subj', '/CN=StoreGuard test CA')
  openssl(`req -x509 ${NEW_KEY} -keyout other-ca.key -out other-ca.crt -days 2`, '-subj', '/CN=Some other CA')
  openssl(`req -new ${NEW_KEY} -keyout server.key -out server.csr`, '-subj', '/CN=localhost')
  writeFileSync(
    join(dir, 'server.ext'),
    'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  )
  openssl(
    'x509 -req -sha256 -days 2 -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -extfile server.ext -out server.crt',
  )
  return {
    ca: join(dir, 'ca.crt'),
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
    otherCa: join(dir, 'other-ca.crt'),
  }
}

/** A certificate and its key, as PEM file paths. */
export interface CertificatePair {
  readonly cert: string
  readonly key: string
}

/**
 * A client certificate (CN = `cn`) signed by the CA of `certs` or, with
 * `signedBy: 'otherCa'`, by the CA that signed nothing else: the right name
 * from the wrong issuer, as a forged device certificate would be.
 */
export function makeClientCertificate(
  certs: ServerCertificates,
  name: string,
  cn: string,
  signedBy: 'ca' | 'otherCa' = 'ca',
): CertificatePair {
  const dir = dirname(certs.ca)
  const openssl = inDir(dir)
  const issuer = signedBy === 'ca' ? 'ca' : 'other-ca'
  openssl(`req -new ${NEW_KEY} -keyout ${name}.key -out ${name}.csr`, '-subj', `/CN=${cn}`)
  writeFileSync(join(dir, `${name}.ext`), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n')
  openssl(
    `x509 -req -sha256 -days 2 -in ${name}.csr -CA ${issuer}.crt -CAkey ${issuer}.key -CAcreateserial -extfile ${name}.ext -out ${name}.crt`,
  )
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) }
}

const NEW_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'

function inDir(dir: string) {
  return (command: string, ...args: string[]) =>
    execFileSync('openssl', [...command.split(' '), ...args], { cwd: dir, stdio: 'pipe' })
}
