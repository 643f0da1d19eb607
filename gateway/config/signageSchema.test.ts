import { describe, expect, it } from 'vitest'
import { isStoreGuardError, type StoreGuardError } from '../core/errors.js'
import { type ConfigProblem, parseConfig } from './loadConfig.js'

const MINIMAL = 'store:\n  id: shop-12\n'
const load = (yaml: string) => parseConfig(yaml, 'store.yaml', {})

function problemsIn(yaml: string): readonly ConfigProblem[] {
  try {
    load(yaml)
  } catch (err) {
    expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
    return (err as StoreGuardError & { problems: readonly ConfigProblem[] }).problems
  }
  return expect.fail('expected the config to be rejected')
}

describe('the signage section of the config', () => {
  it('rotates pages of customer notices every 10 s unless the store says otherwise', () => {
    expect(load(MINIMAL).signage).toEqual({ rotateSec: 10 })
    expect(load(`${MINIMAL}signage: { rotateSec: 20 }\n`).signage.rotateSec).toBe(20)
  })

  it('refuses a rotation too fast to read or too slow to show every notice, by its path and line', () => {
    for (const bad of [1, 600, 'fast']) {
      const problems = problemsIn(`${MINIMAL}signage:\n  rotateSec: ${bad}\n`)
      expect(problems.map((p) => [p.path, p.line])).toEqual([['signage.rotateSec', 4]])
      expect(problems[0]?.message).toMatch(/must be/)
    }
  })

  it('refuses an unknown signage setting by name', () => {
    expect(problemsIn(`${MINIMAL}signage: { rotateSecs: 5 }\n`).map((p) => p.path)).toEqual(['signage.rotateSecs'])
  })
})
