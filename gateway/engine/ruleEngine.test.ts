import { describe, expect, it } from 'vitest'
import { enabledRules } from '../../rules/registry.js'
import type { Rule } from '../../rules/rule.js'
import { shippedTexts } from '../../test/support/shippedTexts.js'
import { parseConfig } from '../config/loadConfig.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import type { ComplaintReport } from '../core/complaint.js'
import type { Intent } from '../core/intent.js'
import { createDeviceState } from './deviceState.js'
import type { IntentDispatcher } from './intentDispatcher.js'
import { createRuleEngine } from './ruleEngine.js'

/** An engine over a store whose config lists the hall under the names staff use, and not the backroom. */
function engineOf(options: { rules?: (enabled: readonly Rule[]) => readonly Rule[] } = {}) {
  const config = parseConfig(
    `store:\n  id: shop-12\ndevices:\n` +
      '  - { id: smoke-1, type: smoke, zone: hall, name: 烟感 1 }\n' +
      '  - { id: smoke-2, type: smoke, zone: backroom, name: Back smoke }\n' +
      'zones:\n  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }\n',
    'store.yaml',
    {},
  )
  const intents: Intent[] = []
  const failed: string[] = []
  const dispatcher = { dispatch: (intent: Intent) => intents.push(intent), settleChatter: () => {} }
  const engine = createRuleEngine({
    store: config.store.id,
    rules: (options.rules ?? ((r) => r))(enabledRules(config.rules)),
    devices: createDeviceState(config.devices, config.rules.deviceHealth),
    openAlarm: () => undefined,
    dispatcher: dispatcher as unknown as IntentDispatcher,
    clock: { now: () => 0 },
    texts: shippedTexts,
    zoneNames: zoneNamesOf(config.zones),
    timeZone: config.store.timeZone,
    isOpen: () => true,
    onRuleError: (ruleId) => failed.push(ruleId),
  })
  const smoke = (deviceId: string, zone: string) =>
    engine.onReading({
      store: 'shop-12',
      deviceId,
      deviceType: 'smoke',
      zone,
      metric: 'smoke',
      value: true,
      ts: 0,
      quality: 'good',
    })
  return { engine, intents, failed, smoke }
}

const REPORT: ComplaintReport = { situations: ['group'], zone: 'hall', note: null, by: 'stan' }

describe('zone names the engine gives the rules', () => {
  it('a zone the config lists is named by what staff call it; one it does not, by its id', () => {
    const { intents, failed, smoke } = engineOf()
    smoke('smoke-1', 'hall')
    smoke('smoke-2', 'backroom')
    expect(failed).toEqual([])
    const raised = intents.flatMap((i) => (i.type === 'raise' && i.kind === 'fire' ? [i] : []))
    expect(raised.map((r) => [r.zone, r.messages])).toEqual([
      ['hall', { 'zh-CN': '火警：烟感 1 检测到烟雾（营业厅）', en: 'Fire: smoke detected by 烟感 1 in Sales hall' }],
      [
        'backroom',
        {
          'zh-CN': '火警：Back smoke 检测到烟雾（backroom 区）',
          en: 'Fire: smoke detected by Back smoke in zone backroom',
        },
      ],
    ])
  })
})

describe("a person's report: the engine says whether any rule took it (docs/requirements.md#escalated-complaint)", () => {
  it('the enabled complaint rule takes it and raises the alarm in the reporter’s name', () => {
    const { engine, intents } = engineOf()
    expect(engine.onComplaintReport(REPORT)).toEqual({ rules: 1, failed: 0 })
    expect(intents.find((i) => i.type === 'raise')).toMatchObject({ kind: 'complaint_escalation', zone: 'hall' })
  })

  it('with the rule switched off no rule takes it', () => {
    const { engine, intents } = engineOf({ rules: (r) => r.filter((rule) => rule.id !== 'complaintEscalation') })
    expect(engine.onComplaintReport(REPORT)).toEqual({ rules: 0, failed: 0 })
    expect(intents).toEqual([])
  })

  it('a rule that throws is counted as failed and reported, and raises nothing', () => {
    const broken: Rule = {
      id: 'complaintEscalation',
      watches: [],
      onReading: () => [],
      onComplaintReport: () => {
        throw new Error('template missing')
      },
    }
    const { engine, intents, failed } = engineOf({ rules: () => [broken] })
    expect(engine.onComplaintReport(REPORT)).toEqual({ rules: 1, failed: 1 })
    expect(failed).toEqual(['complaintEscalation'])
    expect(intents).toEqual([])
  })
})
