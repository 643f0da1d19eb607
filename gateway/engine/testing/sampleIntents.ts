import { fireChecklist } from '../../../rules/checklists/fire.js'
import type { RaiseIntent } from '../../core/intent.js'

/** A water leak at the entrance, as the flood rule raises it; tests change what they need. */
export const sampleLeak: RaiseIntent = {
  type: 'raise',
  key: 'flood:entrance',
  kind: 'flood',
  severity: 'major',
  latching: false,
  silent: false,
  deviceId: 'leak-entrance-1',
  zone: 'entrance',
  messages: { 'zh-CN': '漏水', en: 'Water leak' },
  checklist: fireChecklist,
}

/** A fire in the hall: critical and latching. */
export const sampleFire: RaiseIntent = {
  ...sampleLeak,
  key: 'fire:hall',
  kind: 'fire',
  severity: 'critical',
  latching: true,
  deviceId: 'smoke-hall-1',
  zone: 'hall',
  messages: { 'zh-CN': '火警', en: 'Fire' },
}
