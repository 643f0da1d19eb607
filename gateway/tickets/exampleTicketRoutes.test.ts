import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../test/support/repoRoot.js'
import { ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import { parseConfig } from '../config/loadConfig.js'
import type { TicketEvent } from '../core/events.js'
import { matchingRoutes, routeStaffEvent } from '../notifications/routing.js'

const EXAMPLE = join(REPO_ROOT, 'deploy', 'storeguard.example.yaml')
const ENV = {
  STOREGUARD_MAINTENANCE_WECOM_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=maintenance',
  STOREGUARD_SMS_URL: 'https://sms.example/send',
  STOREGUARD_FACILITIES_MANAGER_PHONE: '13800000000',
  STOREGUARD_DUTY_MANAGER_PHONE: '13800000001',
  STOREGUARD_COMPLAINT_SUPERVISOR_PHONE: '13800000002',
}
const always = () => true

/** The example config as a site would run it: the commented `notifications:` block uncommented. */
function exampleWithNotifications(): string {
  const lines = readFileSync(EXAMPLE, 'utf8').split('\n')
  const start = lines.indexOf('# notifications:')
  expect(start, 'the example config has a commented notifications block').toBeGreaterThan(0)
  let end = start
  while (lines[end]?.startsWith('#')) end++
  const block = lines.slice(start, end).map((line) => line.replace(/^# ?/, ''))
  return [...lines.slice(0, start), ...block, ...lines.slice(end)].join('\n')
}

describe('the ticket routes of deploy/storeguard.example.yaml', () => {
  let h: ReturnType<typeof ticketHarness>
  afterEach(() => h.close())

  it('send the reminders to maintenance and the breach and removal task to the facilities manager, and no alarm', () => {
    const config = parseConfig(exampleWithNotifications(), EXAMPLE, ENV)
    const { routes } = config.notifications
    expect(config.notifications.enabled).toBe(true)

    // a ticket left open for eight days: opened, 50 % and 80 % reminders, breach, removal task
    h = ticketHarness({ start: '2026-09-30T15:00:00+08:00' })
    const { tickets, schedule } = h.start()
    tickets.request(ticketRequest('terminal-1', ['printer'], h.now()))
    for (const end = Date.parse('2026-10-08T15:00:00+08:00'); h.now() < end; ) schedule.tick(h.advance(600_000))
    const routed = h
      .ticketEvents()
      .map((e) => e as TicketEvent)
      .map((e) => [e.action, routeStaffEvent(routes, e, Date.parse(e.at), always)])
    expect(routed).toEqual([
      ['opened', []],
      ['reminder', ['maintenance-robot']],
      ['reminder', ['maintenance-robot']],
      ['breached', ['facilities-manager-sms']],
      ['removal_due', ['facilities-manager-sms']],
    ])
    const terminalFault = { kind: 'terminal_fault', severity: 'major', zone: 'hall', silent: false } as const
    expect(matchingRoutes(routes, terminalFault, Date.now(), always)).toEqual([])
  })

  it('send an escalated complaint to the duty manager and the complaint supervisor, and nothing else there', () => {
    const { routes } = parseConfig(exampleWithNotifications(), EXAMPLE, ENV).notifications
    const complaint = { kind: 'complaint_escalation', severity: 'major', zone: 'counter', silent: false } as const
    expect(matchingRoutes(routes, complaint, Date.now(), always).flatMap((r) => r.channels)).toEqual([
      'duty-manager-sms',
      'complaint-supervisor-sms',
    ])
  })
})
