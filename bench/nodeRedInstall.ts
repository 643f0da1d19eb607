import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * Node-RED 4: the newest major that runs on Node 20 (Node-RED 5 needs Node
 * >= 22.9). The InfluxDB node is pinned to its 0.7 line, the one whose
 * `influxdb batch` node this flow is written for.
 */
const NODE_RED_MAJOR = '4'
const INFLUX_NODE_MINOR = '0.7'
const PACKAGES = [`node-red@${NODE_RED_MAJOR}`, `node-red-contrib-influxdb@${INFLUX_NODE_MINOR}`]
const INSTALL_TIMEOUT_MS = 10 * 60_000
export interface NodeRedInstall {
  readonly redJs: string
  readonly version: string
  readonly influxNodeVersion: string
}

/** Outside the repo and shared between runs: the install takes a while and never touches the repo's node_modules. */
export function nodeRedCacheDir(): string {
  return join(tmpdir(), 'storeguard-bench-node-red')
}

function packageVersion(dir: string, name: string): string | null {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: unknown
    }
    return typeof json.version === 'string' ? json.version : null
  } catch {
    return null
  }
}

function installed(dir: string): NodeRedInstall | null {
  const version = packageVersion(dir, 'node-red')
  const influxNodeVersion = packageVersion(dir, 'node-red-contrib-influxdb')
  const redJs = join(dir, 'node_modules', 'node-red', 'red.js')
  if (version === null || influxNodeVersion === null || !existsSync(redJs)) return null
  if (!version.startsWith(`${NODE_RED_MAJOR}.`) || !influxNodeVersion.startsWith(`${INFLUX_NODE_MINOR}.`)) return null
  return { redJs, version, influxNodeVersion }
}

/**
 * Node-RED and the InfluxDB node in `dir`, installed with npm unless a
 * matching install is already there. npm installs into a staging folder that
 * is renamed into place, so an interrupted install never looks complete and
 * two benches starting at once do not install into one folder.
 */
export async function installNodeRed(dir = nodeRedCacheDir()): Promise<NodeRedInstall> {
  const ready = installed(dir)
  if (ready) return ready
  const staging = `${dir}.staging-${process.pid}-${randomBytes(4).toString('hex')}`
  mkdirSync(staging, { recursive: true })
  writeFileSync(join(staging, 'package.json'), '{ "private": true }\n')
  try {
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefix', staging, ...PACKAGES], {
      cwd: staging,
      env: npmEnv(),
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string }
    throw new Error(`npm install ${PACKAGES.join(' ')} failed: ${String(err)}\n${stdout}${stderr}`)
  }
  if (!installed(dir)) {
    rmSync(dir, { recursive: true, force: true })
    try {
      renameSync(staging, dir)
    } catch {
      // another bench renamed its install into place first: use that one
    }
  }
  rmSync(staging, { recursive: true, force: true })
  const done = installed(dir)
  if (!done) throw new Error(`npm installed ${PACKAGES.join(' ')} but ${dir} holds no usable install`)
  return done
}

/** This environment without what `npm run` exports about the repo's own package, so npm only sees --prefix. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$)/.test(key) || key === 'INIT_CWD') continue
    env[key] = value
  }
  return env
}
