import { ConfigSchema } from './schema.js'

/**
 * The published JSON Schema (deploy/storeguard.schema.json), generated from
 * the same TypeBox schema the loader validates with, so the two cannot drift.
 * A setting with a default is optional to a person writing the file (the
 * loader fills it in), so editors are not told it is required.
 */
export function jsonSchema(): Record<string, unknown> {
  const schema = optionalDefaults(JSON.parse(JSON.stringify(ConfigSchema)))
  return { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'storeguard.schema.json', ...(schema as object) }
}

function optionalDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalDefaults)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = optionalDefaults(v)
  const properties = out.properties as Record<string, { default?: unknown }> | undefined
  if (Array.isArray(out.required) && properties) {
    out.required = (out.required as string[]).filter((name) => properties[name]?.default === undefined)
  }
  return out
}
