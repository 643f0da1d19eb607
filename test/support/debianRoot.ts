import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A throwaway Debian system in a directory, for testing deploy/install.sh the
 * way it runs on a fresh Raspberry Pi OS / Debian: debootstrap'd once and
 * cached as a tar under the temp dir (CI starts fresh; a second local run
 * unpacks the cache in seconds). Commands run chrooted inside private mount
 * and PID namespaces, so /proc and /dev are mounted only while a command runs
 * and every process it started dies with it: nothing is left mounted or
 * running on the host, whatever happens to the test.
 */
export interface DebianRoot {
  readonly path: string
  /** Runs `argv` as root inside the root, with only PATH, HOME, LANG and `env` set. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>
  /** Starts `argv` like run() and leaves it running; stop() kills it and everything it started. */
  start(argv: readonly string[], options?: RunOptions): { stop(): Promise<RunResult>; output(): string }
  /** Deletes the directory; refuses while anything is mounted below it. */
  remove(): void
}

export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

export interface RunResult {
  readonly code: number | null
  readonly output: string
}

/** Minimal base plus systemd: every real Debian and Raspberry Pi OS has systemctl and systemd-analyze. */
const INCLUDE = ['systemd']
const MAX_OUTPUT = 2_000_000

/** The Debian mirror this machine's apt uses (deb822 sources first, then sources.list): never a hard-coded host. */
export function debianMirror(): string {
  const deb822 = '/etc/apt/sources.list.d/debian.sources'
  if (existsSync(deb822)) {
    for (const stanza of readFileSync(deb822, 'utf8').split(/\n\s*\n/)) {
      const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/)
      const suites = field('Suites') ?? []
      const uri = field('URIs')?.[0]
      if (uri && field('Types')?.includes('deb') && suites.some((s) => !s.includes('-'))) return uri
    }
  }
  const list = existsSync('/etc/apt/sources.list') ? readFileSync('/etc/apt/sources.list', 'utf8') : ''
  const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+[a-z]+\s/m.exec(list)
  if (line?.[1]) return line[1]
  throw new Error('no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list')
}

/** Unpacks the cached root for `suite`, or debootstraps it (and caches it) when there is none. */
export async function createDebianRoot(suite: string, dir: string): Promise<DebianRoot> {
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim()
  const cache = join(tmpdir(), `storeguard-rootfs-${suite}-${arch}.tar`)
  mkdirSync(dir, { recursive: true })
  if (existsSync(cache)) {
    await exec('tar', ['-xpf', cache, '--numeric-owner', '-C', dir])
  } else {
    const args = ['--variant=minbase', `--include=${INCLUDE.join(',')}`, suite, dir, debianMirror()]
    await exec('debootstrap', args, 600_000)
    await exec('tar', ['-cpf', `${cache}.partial`, '--numeric-owner', '-C', dir, '.'])
    renameSync(`${cache}.partial`, cache)
  }
  // name resolution as on the host today, not as when the cache was made
  for (const file of ['/etc/resolv.conf', '/etc/hosts']) {
    rmSync(join(dir, file), { force: true }) // a symlink there would point outside the root
    copyFileSync(file, join(dir, file))
  }
  return debianRoot(dir)
}

/** Mounts proc and /dev in a private mount namespace, then chroots; PID 1 of a new PID namespace. */
const ENTER = `set -e
root=$1; shift
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
exec chroot "$root" "$@"`

function debianRoot(path: string): DebianRoot {
  const spawnIn = (argv: readonly string[], options: RunOptions) => {
    const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8']
    for (const [k, v] of Object.entries(options.env ?? {})) env.push(`${k}=${v}`)
    // Not niced: no test times anything any more, and at nice 10 beside two busy loops
    // (test/stress.sh) the better-sqlite3 build got a twentieth of a core and ran for half an hour.
    const args = ['--mount', '--pid', '--fork', '--kill-child', '--propagation', 'private']
    return collect(spawn('unshare', [...args, 'sh', '-c', ENTER, 'sh', path, 'env', '-i', ...env, ...argv]))
  }
  return {
    path,
    run: (argv, options = {}) => {
      const child = spawnIn(argv, options)
      const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 600_000)
      return child.done.finally(() => clearTimeout(timer))
    },
    start: (argv, options = {}) => {
      const child = spawnIn(argv, options)
      return { output: child.output, stop: () => child.kill() }
    },
    remove() {
      const mounted = readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .map((line) => line.split(' ')[4] ?? '')
        .filter((point) => point === path || point.startsWith(`${path}/`))
      if (mounted.length > 0) throw new Error(`not removing ${path}: still mounted: ${mounted.join(', ')}`)
      rmSync(path, { recursive: true, force: true })
    },
  }
}

function collect(child: ReturnType<typeof spawn>) {
  let output = ''
  const append = (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const done = new Promise<RunResult>((resolve) => {
    child.on('error', (err) => resolve({ code: null, output: `${output}\n${err.message}` }))
    child.on('close', (code) => resolve({ code, output }))
  })
  return {
    done,
    output: () => output,
    // unshare dies, --kill-child takes PID 1 of the namespace down, and the kernel every process in it
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      return done
    },
  }
}

// a bound for failures only: debootstrap on two loaded cores is slow
function exec(cmd: string, args: readonly string[], timeoutMs = 25 * 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = collect(spawn(cmd, [...args]))
    const timer = setTimeout(() => child.kill(), timeoutMs)
    void child.done.then(({ code, output }) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`))
    })
  })
}
