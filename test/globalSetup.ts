import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'

/**
 * System tests spawn the built gateway (dist/), so build it once before any
 * test runs — from an empty dist/, as a clean clone would: a file left over
 * from an older build (a module since moved or left out of the build) must
 * not let a test pass here that fails in CI.
 */
export default function setup(): void {
  rmSync('dist', { recursive: true, force: true })
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
}
