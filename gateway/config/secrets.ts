import { readFileSync } from 'node:fs'

const REFERENCE = /\$\{(file:)?([^}:]+)(?::-([^}]*))?\}/g

/**
 * Replaces `${NAME}`, `${NAME:-default}` and `${file:/path}` in every string of
 * the parsed config (docs/design.md#secrets: secrets come from the environment or a file,
 * never written in the YAML). Unresolvable references are reported, not thrown.
 */
export function substituteSecrets(
  value: unknown,
  env: NodeJS.ProcessEnv,
  report: (path: readonly (string | number)[], message: string) => void,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') return substituteString(value, env, (m) => report(path, m))
  if (Array.isArray(value)) return value.map((v, i) => substituteSecrets(v, env, report, [...path, i]))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteSecrets(v, env, report, [...path, k])]),
    )
  }
  return value
}

function substituteString(text: string, env: NodeJS.ProcessEnv, report: (message: string) => void): string {
  return text.replace(REFERENCE, (whole, filePrefix: string | undefined, name: string, fallback?: string) => {
    if (filePrefix) {
      try {
        return readFileSync(name, 'utf8').trim()
      } catch {
        report(`refers to the file ${name}, which cannot be read`)
        return whole
      }
    }
    const found = env[name]
    if (found !== undefined && found !== '') return found
    if (fallback !== undefined) return fallback
    report(`refers to the environment variable ${name}, which is not set`)
    return whole
  })
}
