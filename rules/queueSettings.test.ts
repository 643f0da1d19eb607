import { describe, expect, it } from 'vitest'
import { type ConfigProblem, parseConfig } from '../gateway/config/loadConfig.js'
import { isStoreGuardError } from '../gateway/core/errors.js'

const MINIMAL = 'store:\n  id: shop-12\n'

function problemsIn(yaml: string): readonly ConfigProblem[] {
  try {
    parseConfig(yaml, 'store.yaml', {})
  } catch (err) {
    expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
    return (err as Error & { problems: readonly ConfigProblem[] }).problems
  }
  return expect.fail('expected the config to be rejected')
}

describe('the queue rule’s settings (docs/requirements.md#queue)', () => {
  it('default to the service standard: more than 3 per counter, a 10-minute wait target, held a minute', () => {
    expect(parseConfig(MINIMAL, 'store.yaml', {}).rules.queue).toEqual({
      enabled: true,
      preprocessPerCounter: 3,
      preprocessHysteresis: 1,
      waitTargetMin: 10,
      waitHysteresisMin: 2,
      holdSec: 60,
      clearHoldSec: 120,
    })
  })

  it('refuse a zero wait target, a negative hold and an unknown key, each by its path and line', () => {
    const yaml = `${MINIMAL}rules:\n  queue:\n    waitTargetMin: 0\n    holdSec: -5\n    waitTarget: 8\n`
    expect(
      problemsIn(yaml)
        .map((p) => [p.path, p.line])
        .sort((a, b) => Number(a[1]) - Number(b[1])),
    ).toEqual([
      ['rules.queue.waitTargetMin', 5],
      ['rules.queue.holdSec', 6],
      ['rules.queue.waitTarget', 7],
    ])
  })
})
