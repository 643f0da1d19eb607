import { appendFileSync, chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { tempDir } from './tempDir.js'

/**
 * Stand-in `gpiomon` / `gpioget` / `gpioset` (docs/design.md#real-tests: fake only the GPIO
 * hardware): small shell scripts in a temp dir put first on PATH, so the
 * gpiod driver runs real child processes and parses their real output.
 * They check the command-line syntax of the libgpiod generation they play
 * (1.6 by default), keep line levels in files, and log every call.
 */
const COMMON = `here="$(dirname "$0")"
major=$(sed -n 's/.*v\\([0-9]\\)\\..*/\\1/p' "$here/version" | head -n 1)
# the syntax of the generation being played: 1.x takes the chip before the offset, 2.x takes --chip
syntax_ok() {
  case "$*" in
    *--chip=*) [ "$major" = 2 ] ;;
    *) [ "$major" = 1 ] ;;
  esac
}
`

const GPIOMON = `#!/bin/bash
${COMMON}
if [ "$1" = "--version" ]; then cat "$here/version"; exit 0; fi
printf '%s\\n' "$*" >> "$here/gpiomon.calls"
syntax_ok "$@" || { echo "gpiomon: invalid GPIO offset" >&2; exit 2; }
offset="\${!#}"
events="$here/events-$offset"
pos="$here/events-$offset.pos"
touch "$events"
trap 'exit 0' TERM INT
# replays the lines a test appends, each once across restarts; "exit N" dies with status N
while :; do
  sent=$(cat "$pos" 2>/dev/null || echo 0)
  total=$(wc -l < "$events")
  if [ "$sent" -lt "$total" ]; then
    line=$(sed -n "$((sent + 1))p" "$events")
    echo $((sent + 1)) > "$pos"
    case "$line" in
      exit\\ *) echo "gpiomon: error waiting for events: No such device" >&2; exit "\${line#exit }" ;;
      *) printf '%s\\n' "$line" ;;
    esac
  else
    sleep 0.01
  fi
done
`

const GPIOGET = `#!/bin/bash
${COMMON}
printf '%s\\n' "$*" >> "$here/gpioget.calls"
syntax_ok "$@" || { echo "gpioget: invalid GPIO offset" >&2; exit 2; }
offset="\${!#}"
if [ -f "$here/busy-$offset" ]; then echo "gpioget: error reading GPIO values: Device or resource busy" >&2; exit 1; fi
cat "$here/level-$offset" 2>/dev/null || echo 1
`

const GPIOSET = `#!/bin/bash
${COMMON}
sleeper=
trap 'kill "$sleeper" 2>/dev/null; printf "%s released\\n" "$$" >> "$here/gpioset.calls"; exit 0' TERM INT
syntax_ok "$@" || { echo "gpioset: invalid offset<->value mapping" >&2; exit 2; }
assignment="\${!#}"
offset="\${assignment%%=*}"
if [ -f "$here/busy-$offset" ]; then echo "gpioset: error setting the GPIO line values: Device or resource busy" >&2; exit 1; fi
# the level first: a test that sees the hold logged may take the line as set
echo "\${assignment#*=}" > "$here/level-$offset"
printf '%s hold %s\\n' "$$" "$*" >> "$here/gpioset.calls"
# holds the line until signalled, like gpioset --mode=signal
while :; do sleep 1 & sleeper=$!; wait "$sleeper"; done
`

export interface GpiodStandIns {
  readonly dir: string
  /** The environment for the driver: the stand-ins first on PATH. */
  readonly env: NodeJS.ProcessEnv
  /** gpiomon for `offset` prints `line` (an event, or `exit N` to die). */
  emit(offset: number, line: string): void
  /** The level gpioget reports (and gpioset last set). */
  setLevel(offset: number, level: boolean): void
  level(offset: number): boolean | undefined
  /** Makes the line busy (EBUSY) for gpioget and gpioset, or free again. */
  setBusy(offset: number, busy: boolean): void
  /** Every recorded call of a tool, one line each. */
  calls(tool: 'gpiomon' | 'gpioget' | 'gpioset'): string[]
  /** PIDs of gpioset processes that hold a line and were not released. */
  holders(): number[]
  remove(): void
}

/** Writes the stand-ins, playing libgpiod `version` (default the 1.6.3 that Debian 12 ships). */
export function gpiodStandIns(version = 'v1.6.3'): GpiodStandIns {
  const { path: dir, remove } = tempDir('storeguard-gpiod-')
  const versionText = version.startsWith('v2.1')
    ? `gpiomon ${version} (libgpiod ${version})\n`
    : `gpiomon (libgpiod) ${version}\nCopyright (C) 2017-2018 Bartosz Golaszewski\n`
  writeFileSync(join(dir, 'version'), versionText)
  for (const [name, script] of Object.entries({ gpiomon: GPIOMON, gpioget: GPIOGET, gpioset: GPIOSET })) {
    writeFileSync(join(dir, name), script)
    chmodSync(join(dir, name), 0o755)
  }
  const read = (file: string): string => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '')
  const calls = (tool: string): string[] => read(`${tool}.calls`).split('\n').filter(Boolean)
  return {
    dir,
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
    emit: (offset, line) => appendFileSync(join(dir, `events-${offset}`), `${line}\n`),
    setLevel: (offset, level) => writeFileSync(join(dir, `level-${offset}`), level ? '1\n' : '0\n'),
    level(offset) {
      const t = read(`level-${offset}`).trim()
      return t === '' ? undefined : t === '1'
    },
    setBusy(offset, busy) {
      if (busy) writeFileSync(join(dir, `busy-${offset}`), '')
      else rmSync(join(dir, `busy-${offset}`), { force: true })
    },
    calls,
    holders() {
      const lines = calls('gpioset')
      const released = new Set(lines.filter((l) => l.endsWith(' released')).map((l) => Number(l.split(' ')[0])))
      return lines
        .filter((l) => l.includes(' hold '))
        .map((l) => Number(l.split(' ')[0]))
        .filter((pid) => !released.has(pid))
    },
    remove,
  }
}

/**
 * Polls `check` until it passes. Real processes take real time, and on a
 * loaded machine a lot of it: `timeoutMs` only bounds a failure, so it is
 * generous, under the test timeout so the failing check is what gets reported.
 */
export async function eventually(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      check()
      return
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
