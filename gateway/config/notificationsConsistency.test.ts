import { describe, expect, it } from 'vitest'
import { isStoreGuardError, type StoreGuardError } from '../core/errors.js'
import { type ConfigProblem, parseConfig } from './loadConfig.js'

const STORE = `store:
  id: shop-12
devices:
  - { id: siren-1, type: siren, zone: hall }
  - { id: leak-1, type: leak, zone: back }
`

function problems(notifications: string): { path: string; message: string }[] {
  try {
    parseConfig(`${STORE}notifications:\n${notifications}`, 'store.yaml', {})
  } catch (err) {
    expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
    return (err as StoreGuardError & { problems: readonly ConfigProblem[] }).problems.map((p) => ({
      path: p.path,
      message: p.message,
    }))
  }
  return []
}

const HOOK = '    - { id: hook, kind: webhook, url: "http://127.0.0.1:9/h" }\n'

describe('notification config cross-checks, by path', () => {
  it('accepts outputs on sirens, email through smtp(s), and routes naming them', () => {
    expect(
      problems(`  enabled: true
  channels:
${HOOK}    - { id: mail, kind: email, url: "smtps://u:p@relay:465", from: "a@b.c", to: [x@b.c] }
  outputs:
    - { id: buzzer, devices: [siren-1] }
  routes:
    - { channels: [hook, buzzer], escalation: [{ afterSec: 60, channels: [mail] }] }
    - { kinds: [robbery], silent: true, channels: [hook] }
`),
    ).toEqual([])
  })

  it('refuses a silent (robbery) route that names a local output, at the very channel', () => {
    expect(
      problems(`  channels:
${HOOK}  outputs:
    - { id: buzzer, devices: [siren-1] }
  routes:
    - { kinds: [robbery], silent: true, channels: [hook], escalation: [{ afterSec: 60, channels: [buzzer] }] }
`),
    ).toEqual([
      {
        path: 'notifications.routes[0].escalation[0].channels[0]',
        message: '"buzzer" is a local output; a silent route (robbery) must never sound a siren or strobe',
      },
    ])
  })

  it('refuses a route for escalated complaints only that names a local output: nothing sounds for them', () => {
    expect(
      problems(`  channels:
${HOOK}  outputs:
    - { id: buzzer, devices: [siren-1] }
  routes:
    - { kinds: [complaint_escalation], channels: [hook, buzzer] }
    - { kinds: [complaint_escalation, fire], channels: [buzzer] }
`),
    ).toEqual([
      {
        path: 'notifications.routes[0].channels[1]',
        message: '"buzzer" is a local output; nothing sounds for complaint_escalation alarms',
      },
    ])
  })

  it('names an unknown channel where a route uses it, in channels, escalateTo and escalation levels', () => {
    expect(
      problems(`  channels:
${HOOK}  routes:
    - { channels: [hook, nope], escalateAfterSec: 60, escalateTo: [gone], escalation: [{ afterSec: 9, channels: [hook, lost] }] }
`).map((p) => p.path),
    ).toEqual([
      'notifications.routes[0].channels[1]',
      'notifications.routes[0].escalateTo[0]',
      'notifications.routes[0].escalation[0].channels[1]',
    ])
  })

  it('an output must drive a configured siren or strobe', () => {
    expect(
      problems(`  outputs:
    - { id: buzzer, devices: [siren-1, leak-1, siren-9] }
`),
    ).toEqual([
      {
        path: 'notifications.outputs[0].devices[1]',
        message: '"leak-1" is a leak; an output drives a siren or strobe',
      },
      { path: 'notifications.outputs[0].devices[2]', message: '"siren-9" is not a configured device' },
    ])
  })

  it('channel and output ids are one namespace', () => {
    expect(
      problems(`  channels:
${HOOK}  outputs:
    - { id: hook, devices: [siren-1] }
`),
    ).toEqual([{ path: 'notifications.outputs[0].id', message: '"hook" is already the id of channels[0]' }])
  })

  it('an email channel needs an smtp(s) URL, a sender and recipients', () => {
    expect(
      problems(`  channels:
    - { id: mail, kind: email, url: "https://relay.example" }
`).map((p) => p.path),
    ).toEqual(['notifications.channels[0].url', 'notifications.channels[0].from', 'notifications.channels[0].to'])
  })
})
