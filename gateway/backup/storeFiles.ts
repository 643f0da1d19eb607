/**
 * What backup and restore need of the config, taken from it by the command
 * line: the store, where its journal lives, and which files make up its setup.
 */
export interface StoreFiles {
  readonly storeId: string
  /** Absolute `storage.dataDir`. */
  readonly dataDir: string
  /** The config file, absolute. */
  readonly configFile: string
  /** `tickets.holidayOverrides` as written in the config (relative to the config's folder), if set. */
  readonly holidayOverrides?: string | undefined
}

/** The journal's file name in the data dir (`createJournal`'s default). */
export const JOURNAL_FILE = 'storeguard.db'
