import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CONDITION_LABELS,
  DEVICE_STATE_LABELS,
  DEVICE_TYPE_LABELS,
  FAULT_CODE_LABELS,
  KIND_LABELS,
  METRIC_LABELS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  STATE_LABELS,
  TEXT,
  TICKET_STATUS_LABELS,
} from '../channels/labels.js'

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
 * few tens of KB — plus the shared labels (`labels.js`, below). Served by
 * name from this map only, so no request path ever reaches the file
 * system. The folder is found from this module's own place, so it works
 * from `dist/` and from the sources alike.
 */
export function loadWebAssets(folder: string = findWebFolder()): ReadonlyMap<string, WebAsset> {
  const assets = new Map<string, WebAsset>()
  for (const name of readdirSync(folder)) {
    const contentType = CONTENT_TYPES[extname(name)]
    if (contentType === undefined) continue
    assets.set(name, webAsset(readFileSync(join(folder, name)), contentType))
  }
  // A file of that name would silently stand in for the real wording, or be silently replaced.
  if (assets.has(LABELS_ASSET))
    throw new Error(`${join(folder, LABELS_ASSET)} must not exist: it is made from labels.ts`)
  assets.set(LABELS_ASSET, webAsset(Buffer.from(webLabelsModule()), CONTENT_TYPES['.js'] as string))
  return assets
}

function webAsset(body: Buffer, contentType: string): WebAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
  return { body, contentType, etag }
}

const LABELS_ASSET = 'labels.js'

/**
 * The label tables the pages share with the notifiers, so a WeCom message
 * and the console call a thing by the same name. gateway/channels/labels.ts
 * is their only copy: the pages import them as `/assets/labels.js`, written
 * from these objects at start, so there is no generated file to keep up to
 * date, and the pages still load everything from the gateway in the store.
 * gateway/web/labels.d.ts gives the browser code's type check their types.
 */
export const WEB_LABELS = {
  KIND_LABELS,
  SEVERITY_LABELS,
  STATE_LABELS,
  TICKET_STATUS_LABELS,
  ROLE_LABELS,
  DEVICE_TYPE_LABELS,
  DEVICE_STATE_LABELS,
  FAULT_CODE_LABELS,
  CONDITION_LABELS,
  METRIC_LABELS,
  TEXT,
} as const

/** The ES module source of `/assets/labels.js`: one `export const` per table, its value as JSON. */
export function webLabelsModule(): string {
  const exports = Object.entries(WEB_LABELS).map(([name, table]) => `export const ${name} = ${JSON.stringify(table)}\n`)
  return `// Made by gateway/http/webAssets.ts from gateway/channels/labels.ts when the gateway starts.\n${exports.join('')}`
}

/** `<package root>/gateway/web`: the nearest folder above this module that has one. */
export function findWebFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'gateway', 'web')
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`gateway/web not found above ${from}`)
  }
}
