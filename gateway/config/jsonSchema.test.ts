import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { jsonSchema } from './jsonSchema.js'

const PUBLISHED = fileURLToPath(new URL('../../deploy/storeguard.schema.json', import.meta.url))
const DEMO = fileURLToPath(new URL('../../deploy/demo.yaml', import.meta.url))

interface SchemaNode {
  readonly properties?: Record<string, SchemaNode & { default?: unknown }>
  readonly required?: readonly string[]
  readonly items?: SchemaNode
  readonly additionalProperties?: SchemaNode | boolean
  readonly patternProperties?: Record<string, SchemaNode>
}

/** Every object schema in the tree, with its JSON path for messages. */
function objectSchemas(node: SchemaNode, path = '#'): { path: string; node: SchemaNode }[] {
  const children: [string, SchemaNode][] = [
    ...Object.entries(node.properties ?? {}).map(([k, v]): [string, SchemaNode] => [`${path}/properties/${k}`, v]),
    ...Object.entries(node.patternProperties ?? {}).map(([k, v]): [string, SchemaNode] => [
      `${path}/patternProperties/${k}`,
      v,
    ]),
    ...(node.items ? [[`${path}/items`, node.items] as [string, SchemaNode]] : []),
    ...(typeof node.additionalProperties === 'object'
      ? [[`${path}/additionalProperties`, node.additionalProperties] as [string, SchemaNode]]
      : []),
  ]
  return [...(node.properties ? [{ path, node }] : []), ...children.flatMap(([p, child]) => objectSchemas(child, p))]
}

describe('the published config JSON Schema', () => {
  const generated = jsonSchema() as SchemaNode

  it('deploy/storeguard.schema.json is up to date (regenerate with `npm run generate:schema`)', () => {
    const published: unknown = JSON.parse(readFileSync(PUBLISHED, 'utf8'))
    expect(published, 'deploy/storeguard.schema.json is stale: run `npm run generate:schema`').toStrictEqual(generated)
  })

  it('does not mark settings that have a default as required', () => {
    const objects = objectSchemas(generated)
    const withDefaults = objects.flatMap(({ node }) =>
      Object.values(node.properties ?? {}).filter((p) => p.default !== undefined),
    )
    expect(withDefaults.length, 'the schema should have settings with defaults').toBeGreaterThan(10)
    for (const { path, node } of objects) {
      for (const name of node.required ?? []) {
        expect(node.properties?.[name]?.default, `${path} requires "${name}", which has a default`).toBeUndefined()
      }
    }
  })

  it('still requires the settings that have no default', () => {
    expect(generated.required).toEqual(['store'])
    expect(generated.properties?.store?.required).toEqual(['id'])
    expect([...(generated.properties?.devices?.items?.required ?? [])].sort()).toEqual(['id', 'type', 'zone'])
  })

  it('accepts the demo config as an editor would check it', () => {
    const validate = new Ajv({ strict: false }).compile(generated)
    const demo: unknown = parse(readFileSync(DEMO, 'utf8'))
    expect(validate(demo), JSON.stringify(validate.errors)).toBe(true)
  })
})
