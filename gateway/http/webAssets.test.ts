import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findWebFolder, loadWebAssets, WEB_LABELS, webLabelsModule } from './webAssets.js'

describe('the labels the pages share with the notifiers', () => {
  it('are served as an ES module whose exports are the tables of labels.ts', async () => {
    const asset = loadWebAssets().get('labels.js')
    expect(asset?.contentType).toBe('text/javascript; charset=utf-8')
    const source = asset?.body.toString('utf8') ?? ''
    const served = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)
    expect({ ...served }).toEqual(WEB_LABELS)
  })

  it('are declared for the browser type check under the names the module exports', () => {
    // labels.d.ts stands in for the module in the type check: a table missing there would fail only in a browser
    const declared = readFileSync(join(findWebFolder(), 'labels.d.ts'), 'utf8')
    const names = [...declared.matchAll(/^export declare const (\w+)/gm)].map((m) => m[1])
    expect(names.sort()).toEqual(Object.keys(WEB_LABELS).sort())
    expect(webLabelsModule()).toContain('export const TEXT = ')
  })

  it('cannot be shadowed by a file of the same name in the web folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sg-web-'))
    try {
      writeFileSync(join(folder, 'labels.js'), 'export const KIND_LABELS = {}\n')
      expect(() => loadWebAssets(folder)).toThrow(/labels\.js must not exist/)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
