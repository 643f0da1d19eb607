import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml'
import { StoreGuardError } from '../core/errors.js'
import { formatPath } from './configPath.js'
import { checkConfigConsistency } from './consistency.js'
import { unknownSettingMessage } from './movedSettings.js'
import { type Config, ConfigSchema } from './schema.js'
import { substituteSecrets } from './secrets.js'
import { unknownTextMessage } from './textsSchema.js'

/** One thing wrong with a config file, located for a person to fix. */
export interface ConfigProblem {
  /** `devices[3].mqtt.topic`; empty for the whole file. */
  readonly path: string
  /** 1-based line in the file, when known. */
  readonly line: number | null
  readonly message: string
}

/** The config with defaults filled in and paths made absolute. */
export interface LoadedConfig extends Config {
  readonly file: string
  readonly topicPrefix: string
}

let compiled: ValidateFunction<Config> | null = null

/**
 * The config schema's validator, compiled on first use. Compiled, it holds ~4 MB of heap (800 KB of
 * generated source and its bytecode) that a running gateway needs only at start and on a reload, so
 * the gateway lets it go with `forgetConfigValidator` (docs/performance.md#idle-memory).
 */
function configValidator(): ValidateFunction<Config> {
  // verbose: errors carry parentSchema, whose description says what a pattern expects in words
  // coerceTypes: `port: ${PORT}` is a string after substitution, and should still be a port
  compiled ??= new Ajv({
    allErrors: true,
    useDefaults: true,
    coerceTypes: true,
    strict: false,
    verbose: true,
    discriminator: true,
  }).compile<Config>(ConfigSchema)
  return compiled
}

/** Drops the compiled validator; the next load compiles it again (~0.5 s on a desktop core). */
export function forgetConfigValidator(): void {
  compiled = null
}

/** Reads, checks and resolves one config file; throws `config_invalid` listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new StoreGuardError('config_unreadable', `${file}: cannot read the config file`, { cause: err })
  }
  return parseConfig(text, file, env)
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      path: '',
      line: lineCounter.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] ?? e.message,
    }))
    throw configError(file, problems)
  }
  const raw: unknown = doc.toJS() ?? {}
  const lineOf = (segments: readonly (string | number)[], atKey = false): number | null => {
    // an unknown setting is found at its name: its value, if a block, starts on a later line
    const parent = atKey ? doc.getIn(segments.slice(0, -1), true) : undefined
    const key = isMap(parent)
      ? parent.items.find((p) => isScalar(p.key) && p.key.value === segments.at(-1))?.key
      : undefined
    const node = (isScalar(key) ? key : doc.getIn(segments, true)) as { range?: [number, number, number] } | undefined
    return node?.range ? lineCounter.linePos(node.range[0]).line : null
  }
  const secretProblems: ConfigProblem[] = []
  const data = substituteSecrets(raw, env, (segments, message) =>
    secretProblems.push({ path: formatPath(segments), line: lineOf(segments), message }),
  )
  const validate = configValidator()
  if (!validate(data)) {
    throw configError(file, [...secretProblems, ...(validate.errors ?? []).map((e) => describeAjvError(e, lineOf))])
  }
  const problems = [...secretProblems, ...checkConfigConsistency(data).map((p) => ({ ...p, line: lineOf(p.segments) }))]
  if (problems.length > 0) throw configError(file, problems)
  return resolveConfig(data, file)
}

function resolveConfig(config: Config, file: string): LoadedConfig {
  const base = dirname(resolve(file))
  const inBase = (path: string) => (isAbsolute(path) ? path : resolve(base, path))
  const bridge = config.bridge && {
    ...config.bridge,
    tls: {
      ...config.bridge.tls,
      ...(config.bridge.tls.ca !== undefined ? { ca: inBase(config.bridge.tls.ca) } : {}),
      ...(config.bridge.tls.cert !== undefined ? { cert: inBase(config.bridge.tls.cert) } : {}),
      ...(config.bridge.tls.key !== undefined ? { key: inBase(config.bridge.tls.key) } : {}),
    },
  }
  const inBaseTls = <T extends { cert: string; key: string; ca?: string }>(tls: T): T => ({
    ...tls,
    cert: inBase(tls.cert),
    key: inBase(tls.key),
    ...(tls.ca !== undefined ? { ca: inBase(tls.ca) } : {}),
  })
  const broker = config.broker.tls ? { ...config.broker, tls: inBaseTls(config.broker.tls) } : config.broker
  const api = config.api.tls ? { ...config.api, tls: inBaseTls(config.api.tls) } : config.api
  const influx = config.influx.ca !== undefined ? { ...config.influx, ca: inBase(config.influx.ca) } : config.influx
  return {
    ...config,
    ...(bridge ? { bridge } : {}),
    influx,
    broker,
    api,
    storage: { ...config.storage, dataDir: inBase(config.storage.dataDir) },
    file: resolve(file),
    topicPrefix: config.store.topicPrefix ?? `storeguard/${config.store.id}`,
  }
}

function describeAjvError(
  e: ErrorObject,
  lineOf: (s: readonly (string | number)[], atKey?: boolean) => number | null,
): ConfigProblem {
  const segments = pointerSegments(e.instancePath)
  let message = e.message ?? 'is invalid'
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty
    segments.push(extra)
    message = segments[0] === 'texts' ? unknownTextMessage(segments) : unknownSettingMessage(formatPath(segments))
  } else if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty
    message = `must have the setting "${missing}"`
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
  } else if (e.keyword === 'pattern' && typeof e.parentSchema?.description === 'string') {
    message = `must be ${e.parentSchema.description}`
  }
  return { path: formatPath(segments), line: lineOf(segments, e.keyword === 'additionalProperties'), message }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

function configError(file: string, problems: readonly ConfigProblem[]): StoreGuardError {
  const lines = problems.map((p) => {
    const where = `${file}${p.line === null ? '' : `:${p.line}`}`
    return `  ${where}: ${p.path === '' ? '' : `${p.path} `}${p.message}`
  })
  const err = new StoreGuardError('config_invalid', `invalid config ${file}:\n${lines.join('\n')}`)
  return Object.assign(err, { problems })
}
