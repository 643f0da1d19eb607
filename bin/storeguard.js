#!/usr/bin/env node
// The `storeguard` command of a checkout (`npx storeguard`, `npm run storeguard --`): runs the built
// CLI, dist/gateway/cli.js. Right after `npm ci` there is no dist/ yet, so the first use builds it
// when TypeScript is installed; without it (`npm ci --omit=dev`) it says how to build instead.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const cli = join(root, 'dist', 'gateway', 'cli.js')

function typescriptCompiler() {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
  } catch {
    return undefined
  }
}

if (!existsSync(cli)) {
  const tsc = typescriptCompiler()
  if (!tsc) {
    process.stderr.write(
      `storeguard: ${cli} is missing and TypeScript is not installed to build it:\n` +
        `  run \`npm ci\` (with the dev dependencies) and \`npm run build\` in ${root}\n`,
    )
    process.exit(1)
  }
  // on stderr, so what the command prints on stdout (`schema`, `hash-secret`) stays clean
  process.stderr.write('storeguard: first use: building dist/ (npm run build)…\n')
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    // tsc reports errors on stdout: send them to stderr with the rest
    stdio: ['ignore', 2, 2],
  })
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write(`storeguard: the build failed; fix it and run \`npm run build\` in ${root}\n`)
    process.exit(1)
  }
}

await import(pathToFileURL(cli).href)
