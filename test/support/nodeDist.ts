import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, normalize } from 'node:path'

/** Node.js release names of process.arch (node-v22.12.0-linux-<arch>.tar.xz). */
const RELEASE_ARCH: Readonly<Record<string, string>> = { x64: 'x64', arm64: 'arm64', arm: 'armv7l' }

/**
 * A Node.js download site on loopback for install.sh's NODE_DIST_URL, with one
 * release: the Node.js this test runs on (its prefix's bin/node, include/node
 * headers and npm), packed like an official linux tarball, and its
 * SHASUMS256.txt. install.sh then takes its download branch as on a Pi, with
 * nothing fetched from outside. Same Debian release as the host, so the
 * binary's libc matches.
 */
export async function serveHostNode(dir: string): Promise<{ url: string; version: string; close(): Promise<void> }> {
  const prefix = dirname(dirname(realpathSync(process.execPath)))
  const parts = ['bin/node', 'bin/npm', 'bin/npx', 'include/node', 'lib/node_modules/npm']
  const missing = parts.filter((p) => !existsSync(join(prefix, p)))
  if (missing.length > 0) throw new Error(`this node's prefix ${prefix} lacks ${missing.join(', ')}: cannot pack it`)
  const arch = RELEASE_ARCH[process.arch]
  if (!arch) throw new Error(`no Node.js linux release for ${process.arch}`)
  const name = `node-${process.version}-linux-${arch}.tar.xz`
  const release = join(dir, process.version)
  mkdirSync(release, { recursive: true })
  // S: the npm and npx links stay relative (../lib/node_modules/npm/bin/…); xz -0: seconds, not a minute
  const transform = `--transform=s,^,${name.replace('.tar.xz', '')}/,S`
  execFileSync('tar', ['-C', prefix, '-I', 'xz -0 -T0', '-cf', join(release, name), transform, ...parts])
  const sha = createHash('sha256')
    .update(readFileSync(join(release, name)))
    .digest('hex')
  writeFileSync(join(release, 'SHASUMS256.txt'), `${sha}  ${name}\n`)
  const server = await listen(dir)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    version: process.version,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function listen(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = join(root, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)))
    if (!file.startsWith(`${root}/`) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200)
    createReadStream(file).pipe(res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
