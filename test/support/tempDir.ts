import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory under the OS temp dir, and a function that removes it. */
export function tempDir(prefix = 'storeguard-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  // retries: a child process still writing into it (a dying gpiomon, a gateway) makes rmdir see ENOTEMPTY once
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }) }
}
