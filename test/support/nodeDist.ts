import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, dirname, join, normalize } from 'node:path'

/** Node.js release names of process.arch (node-v22.12.0-linux-<arch>.tar.xz). */
const RELEASE_ARCH: Readonly<Record<string, string>> = { x64: 'x64', arm64: 'arm64', arm: 'armv7l' }

/**
 * A Node.js download site on loopback for install.sh's NODE_DIST_URL, with one
 * release: the Node.js this test runs on (its prefix's bin/node, include/node
 * headers and npm), packed like an official linux tarball, and its
 * SHASUMS256.txt. install.sh then takes its download branch as on a Pi, with
 * nothing fetched from outside. Same Debian release as the host, so the
 * binary's libc matches. A Node.js from the npm registry's node-linux-<arch>
 * package (what CI runs on) has no npm of its own: the release then gets the
 * npm this machine runs, where an official tarball has it.
 */
export async function serveHostNode(dir: string): Promise<{ url: string; version: string; close(): Promise<void> }> {
  const prefix = dirname(dirname(realpathSync(process.execPath)))
  const parts = ['bin/node', 'include/node']
  const missing = parts.filter((p) => !existsSync(join(prefix, p)))
  if (missing.length > 0) throw new Error(`this node's prefix ${prefix} lacks ${missing.join(', ')}: cannot pack it`)
  const arch = RELEASE_ARCH[process.arch]
  if (!arch) throw new Error(`no Node.js linux release for ${process.arch}`)
  const name = `node-${process.version}-linux-${arch}.tar.xz`
  const release = join(dir, process.version)
  mkdirSync(release, { recursive: true })
  const npm = npmOf(prefix, join(dir, 'npm-links'))
  // S: the npm and npx links stay relative (../lib/node_modules/npm/bin/…); xz -0: seconds, not a minute.
  // Each -C's members are renamed by the transforms in order: npm's folder into lib/node_modules/, then all into the release's folder.
  const transforms = [
    `--transform=s,^npm/,lib/node_modules/npm/,S`,
    `--transform=s,^,${name.replace('.tar.xz', '')}/,S`,
  ]
  execFileSync('tar', [
    '-I',
    'xz -0 -T0',
    '-cf',
    join(release, name),
    ...transforms,
    '-C',
    prefix,
    ...parts,
    '-C',
    npm.links,
    'bin/npm',
    'bin/npx',
    '-C',
    dirname(npm.dir),
    'npm/',
  ])
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

/**
 * The npm to pack: the prefix's own (an official release), else the npm on the PATH (whose `npm`
 * resolves to <dir>/bin/npm-cli.js); and, in `links`, bin/npm and bin/npx as a release has them.
 */
function npmOf(prefix: string, links: string): { dir: string; links: string } {
  const own = join(prefix, 'lib/node_modules/npm')
  const dir = existsSync(join(own, 'bin/npm-cli.js'))
    ? own
    : dirname(dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())))
  if (!existsSync(join(dir, 'bin/npm-cli.js'))) throw new Error(`no npm to pack beside this node (looked in ${dir})`)
  if (basename(dir) !== 'npm') throw new Error(`npm at ${dir} is not in a folder named npm: cannot pack it`)
  mkdirSync(join(links, 'bin'), { recursive: true })
  for (const tool of ['npm', 'npx']) {
    rmSync(join(links, 'bin', tool), { force: true })
    symlinkSync(`../lib/node_modules/npm/bin/${tool}-cli.js`, join(links, 'bin', tool))
  }
  return { dir, links }
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
