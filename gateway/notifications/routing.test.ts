import { describe, expect, it } from 'vitest'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { NotificationRoute } from '../config/notificationsSchema.js'
import { atLeast, routeAlarm, routeFlood } from './routing.js'

const route = (r: Partial<NotificationRoute> & Pick<NotificationRoute, 'channels'>): NotificationRoute => ({
  hours: 'any',
  ...r,
})
const alwaysOpen = () => true
const neverOpen = () => false
const AT = Date.parse('2024-05-01T02:00:00.000Z')

const robbery = sampleAlarm({ id: 'r-1', kind: 'robbery', severity: 'critical', silent: true, zone: 'counter' })
const fire = sampleAlarm()

const table: NotificationRoute[] = [
  route({ channels: ['staff-wecom'] }),
  route({ kinds: ['robbery', 'fire'], minSeverity: 'critical', channels: ['siren-webhook'] }),
  route({ kinds: ['robbery'], silent: true, channels: ['security-dingtalk', 'police-sms'] }),
  route({ minSeverity: 'major', hours: 'after_hours', channels: ['duty-sms'] }),
  route({ zones: ['backroom'], channels: ['facilities-feishu'] }),
]

describe('routing an alarm to channels', () => {
  it('a robbery alarm reaches only the routes that say silent: true, never a general or catch-all route', () => {
    expect(routeAlarm(table, robbery, AT, alwaysOpen)).toEqual(['security-dingtalk', 'police-sms'])
    expect(routeAlarm(table, robbery, AT, neverOpen)).toEqual(['security-dingtalk', 'police-sms'])
  })

  it('a silent alarm with no silent route goes nowhere, even when a route names its kind', () => {
    const open = [route({ kinds: ['robbery'], channels: ['staff-wecom'] })]
    expect(routeAlarm(open, robbery, AT, alwaysOpen)).toEqual([])
  })

  it('a silent route never takes an alarm that is not silent', () => {
    const silentOnly = [route({ silent: true, channels: ['security-dingtalk'] })]
    expect(routeAlarm(silentOnly, fire, AT, alwaysOpen)).toEqual([])
  })

  it('a fire alarm in business hours goes to the catch-all and the critical routes, each channel once', () => {
    expect(routeAlarm(table, fire, AT, alwaysOpen)).toEqual(['staff-wecom', 'siren-webhook'])
  })

  it('severity is compared in X.733 order: a minimum of major takes critical and major, not minor or warning', () => {
    const majorUp = [route({ minSeverity: 'major', channels: ['duty'] })]
    for (const [severity, expected] of [
      ['critical', ['duty']],
      ['major', ['duty']],
      ['minor', []],
      ['warning', []],
    ] as const) {
      expect(routeAlarm(majorUp, sampleAlarm({ severity }), AT, alwaysOpen)).toEqual(expected)
    }
    expect(atLeast('critical', 'warning')).toBe(true)
    expect(atLeast('warning', 'critical')).toBe(false)
  })

  it('a zone route takes only alarms from its zones', () => {
    const zoned = [route({ zones: ['backroom'], channels: ['facilities'] })]
    expect(routeAlarm(zoned, sampleAlarm({ zone: 'backroom' }), AT, alwaysOpen)).toEqual(['facilities'])
    expect(routeAlarm(zoned, sampleAlarm({ zone: 'hall' }), AT, alwaysOpen)).toEqual([])
  })

  it('an after-hours route is used only while the store calendar says closed, a business route only while open', () => {
    const flood = sampleAlarm({ kind: 'flood', severity: 'major', zone: 'entrance' })
    expect(routeAlarm(table, flood, AT, neverOpen)).toEqual(['staff-wecom', 'duty-sms'])
    expect(routeAlarm(table, flood, AT, alwaysOpen)).toEqual(['staff-wecom'])
    const business = [route({ hours: 'business', channels: ['counter'] })]
    const openAt = (ms: number) => ms === AT
    expect(routeAlarm(business, flood, AT, openAt)).toEqual(['counter'])
    expect(routeAlarm(business, flood, AT + 1, openAt)).toEqual([])
  })

  it('an alarm-flood summary goes to catch-all routes only, never to a silent route', () => {
    const routes = [...table, route({ silent: true, channels: ['security-only'] })]
    expect(routeFlood(routes, AT, alwaysOpen)).toEqual(['staff-wecom'])
  })
})
