import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface WebAsset {
  readonly body: Buffer
  readonly contentType: string
  /** Strong ETag of the content: a tablet revalidates cheaply instead of downloading again. */
  readonly etag: string
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
}

/**
 * The staff console and signage pages: plain files in `gateway/web/` (ES
 * modules, no build step, docs/requirements.md#console), read once at start into memory — a
 * few tens of KB. Served by name from this map only, so no request path
 * ever reaches the file system. The folder is found from this module's own
 * place, so it works from `dist/` and from the sources alike.
 */
export function loadWebAssets(folder: string = findWebFolder()): ReadonlyMap<string, WebAsset> {
  const assets = new Map<string, WebAsset>()
  for (const name of readdirSync(folder)) {
    const contentType = CONTENT_TYPES[extname(name)]
    if (contentType === undefined) continue
    const body = readFileSync(join(folder, name))
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
    assets.set(name, { body, contentType, etag })
  }
  return assets
}

/** `<package root>/gateway/web`: the nearest folder above this module that has one. */
export function findWebFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'gateway', 'web')
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`gateway/web not found above ${from}`)
  }
}
