import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from './support/tempDir.js'

const REPO = join(import.meta.dirname, '..')
const BIN = join(REPO, 'bin', 'storeguard.js')

function run(bin: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * A checkout as `npm ci` leaves it: bin/storeguard.js, package.json and no dist/. With `tsc`, a
 * stand-in TypeScript compiler that writes a dist/gateway/cli.js echoing its arguments (or fails).
 */
function checkout(dir: string, tsc?: 'builds' | 'fails'): string {
  mkdirSync(join(dir, 'bin'))
  cpSync(BIN, join(dir, 'bin', 'storeguard.js'))
  cpSync(join(REPO, 'package.json'), join(dir, 'package.json'))
  if (tsc) {
    const pkg = join(dir, 'node_modules', 'typescript')
    mkdirSync(join(pkg, 'bin'), { recursive: true })
    writeFileSync(join(pkg, 'package.json'), '{ "name": "typescript", "version": "0.0.0" }\n')
    const built = "process.stdout.write('cli ' + JSON.stringify(process.argv.slice(2)) + '\\\\n')\\n"
    writeFileSync(
      join(pkg, 'bin', 'tsc'),
      tsc === 'builds'
        ? [
            "const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs')",
            "appendFileSync('builds.log', JSON.stringify(process.argv.slice(2)) + '\\n')",
            "mkdirSync('dist/gateway', { recursive: true })",
            `writeFileSync('dist/gateway/cli.js', "${built}")`,
            '',
          ].join('\n')
        : "console.log('gateway/cli.ts(1,1): error TS1005: stand-in failure')\nprocess.exit(2)\n",
    )
    chmodSync(join(pkg, 'bin', 'tsc'), 0o755)
  }
  return join(dir, 'bin', 'storeguard.js')
}

describe('the storeguard bin of a checkout', () => {
  const dirs: { remove(): void }[] = []
  const fresh = () => {
    const dir = tempDir('storeguard-bin-')
    dirs.push(dir)
    return dir.path
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove()
  })

  it('builds dist/ on first use when it is missing, then runs the command with its arguments', () => {
    const dir = fresh()
    const bin = checkout(dir, 'builds')
    const first = run(bin, 'validate', 'deploy/demo.yaml')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe('cli ["validate","deploy/demo.yaml"]\n')
    expect(first.stderr).toContain('first use: building dist/')
    const second = run(bin, 'schema')
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toBe('cli ["schema"]\n')
    expect(second.stderr).toBe('')
    // built once, with the build's own tsconfig
    expect(readFileSync(join(dir, 'builds.log'), 'utf8').trim().split('\n')).toEqual([
      JSON.stringify(['-p', join(dir, 'tsconfig.build.json')]),
    ])
  })

  it('says how to build, and exits 1, where dist/ is missing and TypeScript is not installed', () => {
    const dir = fresh()
    const r = run(checkout(dir), 'validate', 'deploy/demo.yaml')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('TypeScript is not installed')
    expect(r.stderr).toContain('npm run build')
    expect(existsSync(join(dir, 'dist'))).toBe(false)
  })

  it('exits 1 with the compiler errors on stderr when the build fails', () => {
    const dir = fresh()
    const r = run(checkout(dir, 'fails'), 'schema')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('error TS1005: stand-in failure')
    expect(r.stderr).toContain('the build failed')
  })

  it('runs the built CLI of this checkout: no command exits 2 with the usage on stderr, help exits 0', () => {
    const none = run(BIN)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Usage:')
    const help = run(BIN, 'help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('storeguard validate FILE')
  })
})
