import { describe, expect, it } from 'vitest'
import { floodEvent, noticeEvent, reportEvent, sampleAlarm, ticketEvent } from '../channels/testing/sampleEvents.js'
import type { NotificationRoute } from '../config/notificationsSchema.js'
import { atLeast, routeAlarm, routeStaffEvent, staffEventKind } from './routing.js'

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
})

describe('routing ticket deadlines and staff notices to staff channels', () => {
  const staff = [
    route({ channels: ['staff-wecom'], events: ['ticket_reminder', 'staff_notice'] }),
    route({ kinds: [], channels: ['facilities'], events: ['ticket_breached', 'ticket_removal'] }),
    route({ kinds: ['robbery'], silent: true, channels: ['security'], events: ['staff_notice', 'ticket_breached'] }),
    route({ channels: ['duty'] }),
  ]

  it('ticket reminder, breached and removal_due go to the routes that list them; other ticket actions nowhere', () => {
    expect(routeStaffEvent(staff, ticketEvent({ action: 'reminder', fraction: 0.5 }), AT, alwaysOpen)).toEqual([
      'staff-wecom',
    ])
    expect(routeStaffEvent(staff, ticketEvent({ action: 'breached' }), AT, alwaysOpen)).toEqual(['facilities'])
    expect(routeStaffEvent(staff, ticketEvent({ action: 'removal_due' }), AT, alwaysOpen)).toEqual(['facilities'])
    for (const action of ['opened', 'acked', 'resolved', 'cancelled'] as const) {
      expect(routeStaffEvent(staff, ticketEvent({ action }), AT, alwaysOpen)).toEqual([])
    }
  })

  it('a posted staff notice goes to staff routes; a customer notice, or a staff notice withdrawn, never does', () => {
    const posted = noticeEvent({ audience: 'staff' })
    expect(staffEventKind(posted)).toBe('staff_notice')
    expect(routeStaffEvent(staff, posted, AT, alwaysOpen)).toEqual(['staff-wecom'])
    const everything = [route({ channels: ['all'], events: ['staff_notice', 'ticket_reminder'] })]
    expect(routeStaffEvent(everything, noticeEvent({ audience: 'customer' }), AT, alwaysOpen)).toEqual([])
    expect(routeStaffEvent(everything, { ...posted, action: 'withdrawn' }, AT, alwaysOpen)).toEqual([])
  })

  it('never to a silent route, and a route with kinds: [] takes the events but no alarm', () => {
    expect(routeStaffEvent(staff, ticketEvent({ action: 'breached' }), AT, alwaysOpen)).not.toContain('security')
    expect(routeAlarm(staff, fire, AT, alwaysOpen)).toEqual(['staff-wecom', 'duty'])
  })

  it('hours and zones apply to events; a notice without a zone does not match a zoned route', () => {
    const zoned = [
      route({
        zones: ['self-service'],
        hours: 'business',
        channels: ['z'],
        events: ['ticket_reminder', 'staff_notice'],
      }),
    ]
    const reminder = ticketEvent({ action: 'reminder' })
    expect(routeStaffEvent(zoned, reminder, AT, alwaysOpen)).toEqual(['z'])
    expect(routeStaffEvent(zoned, reminder, AT, neverOpen)).toEqual([])
    expect(routeStaffEvent(zoned, ticketEvent({ action: 'reminder' }, { zone: 'hall' }), AT, alwaysOpen)).toEqual([])
    expect(routeStaffEvent(zoned, noticeEvent({ audience: 'staff', zone: null }), AT, alwaysOpen)).toEqual([])
  })

  it('the pre-opening report goes to the routes that list it, zoned or not, within their hours, never a silent one', () => {
    const routes = [
      route({ kinds: [], events: ['pre_opening_report'], channels: ['manager'] }),
      route({ kinds: [], zones: ['hall'], events: ['pre_opening_report'], channels: ['hall-lead'] }),
      route({ kinds: [], hours: 'business', events: ['pre_opening_report'], channels: ['daytime'] }),
      route({ kinds: [], events: ['ticket_breached'], channels: ['tickets-only'] }),
    ]
    expect(staffEventKind(reportEvent())).toBe('pre_opening_report')
    // made before opening: the store is closed then
    expect(routeStaffEvent(routes, reportEvent(), AT, neverOpen)).toEqual(['manager', 'hall-lead'])
    expect(routeStaffEvent(routes, reportEvent(), AT, alwaysOpen)).toEqual(['manager', 'hall-lead', 'daytime'])
  })
})

describe('routing the alarm-flood summary to managers', () => {
  const routes = [
    // the staff group gets every alarm: it is the one swamped by the flood
    route({ channels: ['staff-wecom'] }),
    route({ minSeverity: 'major', channels: ['duty-sms'] }),
    route({ kinds: [], events: ['alarm_flood', 'pre_opening_report'], channels: ['manager-sms'] }),
    route({ kinds: [], zones: ['hall'], events: ['alarm_flood'], channels: ['area-manager'] }),
    route({ kinds: [], hours: 'after_hours', events: ['alarm_flood'], channels: ['night-manager'] }),
    route({ kinds: ['robbery'], silent: true, events: ['alarm_flood'], channels: ['security'] }),
  ]

  it('the start of a flood goes only to the routes listing alarm_flood, zoned or not, within their hours', () => {
    expect(staffEventKind(floodEvent())).toBe('alarm_flood')
    expect(routeStaffEvent(routes, floodEvent(), AT, alwaysOpen)).toEqual(['manager-sms', 'area-manager'])
    expect(routeStaffEvent(routes, floodEvent(), AT, neverOpen)).toEqual([
      'manager-sms',
      'area-manager',
      'night-manager',
    ])
  })

  it('never to a catch-all or severity route that does not ask for it, nor to a silent route', () => {
    const sent = routeStaffEvent(routes, floodEvent(), AT, neverOpen)
    for (const channel of ['staff-wecom', 'duty-sms', 'security']) expect(sent).not.toContain(channel)
    expect(routeStaffEvent([route({ channels: ['staff-wecom'] })], floodEvent(), AT, alwaysOpen)).toEqual([])
  })

  it('the end of a flood goes nowhere: nobody has anything to do about it', () => {
    const ended = { ...floodEvent(), action: 'ended' as const }
    expect(staffEventKind(ended)).toBeNull()
    expect(routeStaffEvent(routes, ended, AT, alwaysOpen)).toEqual([])
  })
})
