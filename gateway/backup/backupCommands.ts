import { isStoreGuardError, StoreGuardError } from '../core/errors.js'
import { createBackup } from './createBackup.js'
import { restoreBackup } from './restoreBackup.js'
import type { StoreFiles } from './storeFiles.js'

/** What `storeguard backup` takes besides `--config`. */
export interface BackupArgs {
  readonly out?: string | undefined
}

/** What `storeguard restore` takes besides `--config`. */
export interface RestoreArgs {
  readonly archive: string
  readonly force: boolean
  readonly configOut?: string | undefined
}

export const BACKUP_USAGE = `  storeguard backup [--config FILE] [--out FILE|DIR]
                                              write one .tar.gz of the journal (taken while running), config and holiday file
  storeguard restore FILE [--config FILE] [--config-out DIR] [--force]
                                              check a backup and put its journal into the stopped gateway's data dir
`

/** `backup [--config FILE] [--out FILE|DIR]`: the parsed options, or what is wrong with them. */
export function parseBackupArgs(args: readonly string[]): BackupArgs | string {
  const parsed = parseFlags(args, ['--config', '--out'], [])
  if (typeof parsed === 'string') return parsed
  if (parsed.positional.length > 0) return `backup takes no argument "${parsed.positional[0]}"`
  return { out: parsed.values.get('--out') }
}

/** `restore FILE [--config FILE] [--config-out DIR] [--force]`: the parsed options, or what is wrong with them. */
export function parseRestoreArgs(args: readonly string[]): RestoreArgs | string {
  const parsed = parseFlags(args, ['--config', '--config-out'], ['--force'])
  if (typeof parsed === 'string') return parsed
  const [archive, extra] = parsed.positional
  if (archive === undefined) return 'restore needs a backup FILE'
  if (extra !== undefined) return `restore takes one FILE, not also "${extra}"`
  return { archive, force: parsed.switches.has('--force'), configOut: parsed.values.get('--config-out') }
}

export async function backupCommand(store: StoreFiles, args: BackupArgs, out = process.stdout): Promise<void> {
  const result = await oneLine(() => createBackup(store, { out: args.out }))
  const { manifest } = result
  out.write(
    `wrote ${result.file} (${result.bytes} bytes, store ${manifest.storeId}, journal schema ${manifest.journalSchemaVersion})\n`,
  )
  for (const f of manifest.files) out.write(`  ${f.name}  ${f.size} bytes  from ${f.source}\n`)
}

export async function restoreCommand(store: StoreFiles, args: RestoreArgs, out = process.stdout): Promise<void> {
  const result = await oneLine(() =>
    restoreBackup(args.archive, store, { force: args.force, configOut: args.configOut }),
  )
  const { manifest } = result
  out.write(`restored the journal of store ${manifest.storeId} from ${manifest.createdAt} into ${result.journal}\n`)
  if (result.keptAside) out.write(`  the journal that was there is kept as ${result.keptAside}\n`)
  for (const f of result.setupFiles) {
    out.write(`  wrote ${f.path}${f.keptAside ? ` (the old one is kept as ${f.keptAside})` : ''}\n`)
  }
  out.write('start the gateway to carry on from the backup; it migrates an older journal at start\n')
}

/**
 * A file system or SQLite error the checks did not foresee (a folder not
 * writable, a full card) as one line with its path and code, which the
 * command line prints without a stack, like every other refusal.
 */
async function oneLine<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isStoreGuardError(err)) throw err
    const e = err as NodeJS.ErrnoException
    const where = e.path === undefined ? '' : `${e.path}: `
    throw new StoreGuardError('backup_failed', `${where}${e.code ?? 'error'}: ${e.message}`, { cause: err })
  }
}

interface Flags {
  readonly values: Map<string, string>
  readonly switches: Set<string>
  readonly positional: string[]
}

function parseFlags(
  args: readonly string[],
  withValue: readonly string[],
  switches: readonly string[],
): Flags | string {
  const flags: Flags = { values: new Map(), switches: new Set(), positional: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (withValue.includes(arg)) {
      const value = args[++i]
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`
      flags.values.set(arg, value)
    } else if (switches.includes(arg)) {
      flags.switches.add(arg)
    } else if (arg.startsWith('--')) {
      return `unknown option "${arg}"`
    } else {
      flags.positional.push(arg)
    }
  }
  return flags
}
