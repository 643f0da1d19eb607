import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * Imports go one way (docs/design.md#one-way-imports). The allowed graph is data here; every
 * import of every non-test .ts file under gateway/, devices/ and rules/ is checked against it.
 */

/** Root files of gateway/ that wire modules together, and folders that are wiring throughout. */
const WIRING_FILES = ['gateway/cli.ts']
const WIRING_FOLDERS = ['gateway/main', 'gateway/transports']

/**
 * Areas that may import only the listed areas (and themselves). Areas not named here (the other
 * gateway folders) may import anything except what the rules below forbid. rules/ does not import
 * devices/: the device contracts rules read (CommStatus, Reading) are in gateway/core.
 */
const MAY_IMPORT_ONLY: Readonly<Record<string, readonly string[]>> = {
  'gateway/core': [],
  devices: ['gateway/core'],
  rules: ['gateway/core'],
}

/** Only the wiring (and the area itself) may import these: the HTTP API is a leaf that serves the domain. */
const WIRING_ONLY_AREAS = ['gateway/http']

/** The whole config type: only the wiring and gateway/config take it; a module takes its own section. */
const WHOLE_CONFIG = {
  modules: ['gateway/config/schema.ts', 'gateway/config/loadConfig.ts'],
  names: ['Config', 'LoadedConfig'],
}

/** Known edges that break a rule, each with why it stays. Keep this short. */
const EXCEPTIONS: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [
  {
    from: 'gateway/sinks/sink.ts',
    to: 'gateway/config/loadConfig.ts',
    reason: 'a sink kind decides from the whole config whether it is on, as a transport does (typed registries)',
  },
  {
    from: 'gateway/storage/testing/firstReleaseJournal.ts',
    to: '*',
    reason: 'test support: builds a first-release journal from every store to test the migrations',
  },
]

interface ImportEdge {
  /** Repository-relative paths with `/`, e.g. `devices/adapter.ts`. */
  readonly from: string
  readonly to: string
  /** Imported names; empty for `import *`, side-effect and dynamic imports. */
  readonly names: readonly string[]
}

interface Violation {
  readonly from: string
  readonly to: string
  readonly rule: string
}

/** `devices`, `rules`, `gateway/<folder>`, `wiring`, or the file itself for other gateway/ root files. */
function areaOf(file: string): string {
  const parts = file.split('/')
  if (parts[0] !== 'gateway') return parts[0] ?? file
  if (WIRING_FILES.includes(file)) return 'wiring'
  if (parts.length === 2) return file
  const folder = `gateway/${parts[1]}`
  return WIRING_FOLDERS.includes(folder) ? 'wiring' : folder
}

const isGatewayFolder = (area: string) => area.startsWith('gateway/') && !area.endsWith('.ts')

function excepted(edge: ImportEdge): boolean {
  return EXCEPTIONS.some((e) => e.from === edge.from && (e.to === '*' || e.to === edge.to))
}

/** Every edge the allowed graph forbids, in input order; then every edge inside a cycle of gateway/ folders. */
function checkImports(edges: readonly ImportEdge[]): Violation[] {
  const violations: Violation[] = []
  const checked = edges.filter((e) => !excepted(e))
  for (const edge of checked) {
    const from = areaOf(edge.from)
    const to = areaOf(edge.to)
    if (from === to) continue
    const only = MAY_IMPORT_ONLY[from]
    if (only && !only.includes(to)) {
      violations.push({ ...edge, rule: `${from} may import only ${only.join(', ') || 'itself'}` })
    }
    if (WIRING_ONLY_AREAS.includes(to) && from !== 'wiring') {
      violations.push({ ...edge, rule: `only the wiring imports ${to}` })
    }
    const wholeConfig = edge.names.filter((n) => WHOLE_CONFIG.names.includes(n))
    if (
      WHOLE_CONFIG.modules.includes(edge.to) &&
      wholeConfig.length > 0 &&
      from !== 'wiring' &&
      from !== 'gateway/config'
    ) {
      violations.push({ ...edge, rule: `only the wiring takes the whole ${wholeConfig.join(', ')}` })
    }
  }
  violations.push(...cycleEdges(checked))
  return violations
}

/** Edges between gateway/ folders that lie on a cycle (Tarjan's strongly connected components). */
function cycleEdges(edges: readonly ImportEdge[]): Violation[] {
  const graph = new Map<string, Set<string>>()
  for (const e of edges) {
    const from = areaOf(e.from)
    const to = areaOf(e.to)
    if (from === to || !isGatewayFolder(from) || !isGatewayFolder(to)) continue
    graph.set(from, (graph.get(from) ?? new Set()).add(to))
  }
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const component = new Map<string, number>()
  let next = 0
  let components = 0
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0))
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0))
      }
    }
    if (low.get(v) === index.get(v)) {
      let w: string | undefined
      do {
        w = stack.pop()
        if (w !== undefined) component.set(w, components)
      } while (w !== v && w !== undefined)
      components++
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return edges
    .filter((e) => {
      const from = areaOf(e.from)
      const to = areaOf(e.to)
      return from !== to && graph.get(from)?.has(to) === true && component.get(from) === component.get(to)
    })
    .map((e) => ({ ...e, rule: `${areaOf(e.from)} and ${areaOf(e.to)} import each other` }))
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name)
    if (entry.isDirectory()) return path === 'gateway/web' ? [] : sourceFiles(path)
    const source = path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts')
    return source ? [path] : []
  })
}

/** Relative imports and re-exports of one file, static and dynamic, with the names they bring in. */
function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false)
  const edges: ImportEdge[] = []
  const add = (specifier: string, names: readonly string[]) => {
    if (!specifier.startsWith('.')) return
    const to = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts')
    edges.push({ from: file, to, names })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const names: string[] = []
      if (clause?.name) names.push('default')
      const bindings = clause?.namedBindings
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text)
      }
      add(node.moduleSpecifier.text, names)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause
      const names =
        clause && ts.isNamedExports(clause) ? clause.elements.map((el) => (el.propertyName ?? el.name).text) : []
      add(node.moduleSpecifier.text, names)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, [])
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

const format = (v: Violation) => `${v.from} -> ${v.to}: ${v.rule}`

describe('architecture', () => {
  it('every import follows the allowed graph', () => {
    const files = ['gateway', 'devices', 'rules'].flatMap(sourceFiles)
    expect(files.length).toBeGreaterThan(100)
    const edges = files.flatMap(importsOf)
    expect(edges.length).toBeGreaterThan(500)
    expect(checkImports(edges).map(format)).toEqual([])
  })

  it('each exception still matches an import, so a fixed one leaves the list', () => {
    const edges = ['gateway', 'devices', 'rules'].flatMap(sourceFiles).flatMap(importsOf)
    for (const e of EXCEPTIONS) {
      expect(
        edges.some((edge) => edge.from === e.from && (e.to === '*' || edge.to === e.to)),
        `${e.from} -> ${e.to}`,
      ).toBe(true)
    }
  })

  it('reports a device importing gateway/config, and only that edge', () => {
    const edges: ImportEdge[] = [
      { from: 'devices/mqtt/topicRouter.ts', to: 'devices/deviceSchema.ts', names: ['DeviceConfig'] },
      { from: 'devices/deviceSchema.ts', to: 'gateway/core/reading.ts', names: ['DeviceType'] },
      { from: 'devices/modbus/poller.ts', to: 'gateway/config/schema.ts', names: ['DeviceConfig'] },
      { from: 'gateway/config/schema.ts', to: 'devices/modbus/modbusSchema.ts', names: ['ModbusSchema'] },
      { from: 'gateway/main/main.ts', to: 'gateway/config/schema.ts', names: ['Config'] },
    ]
    expect(checkImports(edges).map((v) => `${v.from} -> ${v.to}`)).toEqual([
      'devices/modbus/poller.ts -> gateway/config/schema.ts',
    ])
  })

  it('reports the domain importing gateway/http, the whole Config outside the wiring, and folder cycles', () => {
    const edges: ImportEdge[] = [
      { from: 'gateway/alarms/alarmService.ts', to: 'gateway/http/apiPorts.ts', names: ['AlarmCommands'] },
      { from: 'gateway/http/alarmRoutes.ts', to: 'gateway/alarms/alarmService.ts', names: ['AlarmService'] },
      { from: 'gateway/engine/deviceState.ts', to: 'gateway/config/schema.ts', names: ['Config'] },
      { from: 'gateway/engine/ruleEngine.ts', to: 'gateway/config/schema.ts', names: ['RuleSettings'] },
      { from: 'gateway/core/ports.ts', to: 'gateway/alarms/alarmStore.ts', names: ['JournalEntry'] },
    ]
    expect(checkImports(edges).map(format)).toEqual([
      'gateway/alarms/alarmService.ts -> gateway/http/apiPorts.ts: only the wiring imports gateway/http',
      'gateway/engine/deviceState.ts -> gateway/config/schema.ts: only the wiring takes the whole Config',
      'gateway/core/ports.ts -> gateway/alarms/alarmStore.ts: gateway/core may import only itself',
      'gateway/alarms/alarmService.ts -> gateway/http/apiPorts.ts: gateway/alarms and gateway/http import each other',
      'gateway/http/alarmRoutes.ts -> gateway/alarms/alarmService.ts: gateway/http and gateway/alarms import each other',
    ])
  })
})
