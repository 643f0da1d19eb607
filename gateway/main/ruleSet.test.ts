import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/loadConfig.js'
import { buildRuleSet, reloadRuleSet } from './ruleSet.js'

const rules = (yaml: string) =>
  parseConfig(`store: { id: s1, name: Store, timeZone: Asia/Shanghai }\nrules: ${yaml}\n`, 's.yaml', {}).rules

describe('rule set reload', () => {
  it('keeps the instance of a rule whose settings did not change and rebuilds one whose did', () => {
    const old = rules('{ flood: { warningCm: 2 } }')
    const next = rules('{ flood: { warningCm: 3 } }')
    const running = buildRuleSet(old)
    const reloaded = reloadRuleSet(running, old, next)
    expect(reloaded.get('fire')).toBe(running.get('fire'))
    expect(reloaded.get('flood')).not.toBe(running.get('flood'))
    expect([...reloaded.keys()]).toEqual([...running.keys()])
  })

  it('drops a rule switched off and builds one switched on', () => {
    const old = rules('{ robbery: { enabled: false } }')
    const next = rules('{ fire: { enabled: false } }')
    const reloaded = reloadRuleSet(buildRuleSet(old), old, next)
    expect(reloaded.has('fire')).toBe(false)
    expect(reloaded.has('robbery')).toBe(true)
  })
})
