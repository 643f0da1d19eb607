import { describe, expect, it } from 'vitest'

/**
 * The console's pure helpers (gateway/web), run in Node: plain ES modules without DOM use. Loaded
 * by URL because this project's TypeScript does not check the pages' JavaScript (tsconfig.web.json does).
 */
const web = (name: string) => new URL(`../gateway/web/${name}`, import.meta.url).href

interface TelLinks {
  callableNumbers(hotline?: string | null): string[]
  telSegments(text: string, numbers: readonly string[]): (string | { tel: string })[]
}
interface DeviceLine {
  deviceState(device: object, alarms: readonly object[]): string
  readingValue(value: number | string | boolean, unit?: string): string | null
}
interface AlarmView {
  orderAlarms(alarms: readonly object[]): { id: string }[]
  resetWaits(alarm: object, role: string): string[]
}

const { callableNumbers, telSegments } = (await import(web('telLinks.js'))) as TelLinks
const { deviceState, readingValue } = (await import(web('deviceLine.js'))) as DeviceLine
const { orderAlarms, resetWaits } = (await import(web('alarmView.js'))) as AlarmView

describe('emergency numbers as tap-to-call links', () => {
  it('links 119, 110, 120 and the hotline where they stand alone', () => {
    const numbers = callableNumbers(undefined)
    expect(numbers).toEqual(['119', '110', '120', '10086'])
    expect(telSegments('立即拨打 119 报警', numbers)).toEqual(['立即拨打 ', { tel: '119' }, ' 报警'])
    expect(telSegments('Notify the 10086 hotline, call 110.', numbers)).toEqual([
      'Notify the ',
      { tel: '10086' },
      ' hotline, call ',
      { tel: '110' },
      '.',
    ])
  })

  it('leaves numbers inside longer ones alone, and takes the store hotline when the snapshot has one', () => {
    expect(telSegments('room 1190, ticket 61200', ['119', '120'])).toEqual(['room 1190, ticket 61200'])
    expect(telSegments('在 120 秒内 / within 120 s', ['120'])).toEqual(['在 120 秒内 / within 120 s'])
    expect(callableNumbers('10010')).toEqual(['119', '110', '120', '10010'])
    expect(callableNumbers('not a number')).toEqual(['119', '110', '120'])
  })
})

describe("a device's line", () => {
  const smoke = { id: 'smoke-1', status: 'ok', faults: [] }
  const alarm = { deviceId: 'smoke-1', kind: 'fire', state: 'active_acked', conditionActive: true, details: {} }

  it('says 报警 for a detector in fire alarm, though it talks to the gateway fine', () => {
    expect(deviceState(smoke, [alarm])).toBe('alarm')
    expect(deviceState(smoke, [{ ...alarm, conditionActive: false }])).toBe('ok')
  })

  it('says offline for a device not heard from, fault for other faults', () => {
    const since = '2026-01-01T00:00:00Z'
    expect(deviceState({ ...smoke, status: 'fault', faults: [{ reason: 'silent', since }] }, [])).toBe('offline')
    expect(deviceState({ ...smoke, status: 'fault', faults: [{ reason: 'battery', since }] }, [])).toBe('fault')
  })

  it('shows a number with its unit, and leaves a yes/no value to the page', () => {
    expect(readingValue(95, '°C')).toBe('95 °C')
    expect(readingValue(80, '%')).toBe('80%')
    expect(readingValue(true, undefined)).toBeNull()
  })
})

describe('alarm order and what reset waits for', () => {
  const base = {
    severity: 'critical',
    kind: 'fire',
    latching: true,
    conditionActive: true,
    resetRole: 'staff',
    raisedAt: '2026-01-01T00:00:00Z',
  }

  it('puts unacknowledged alarms above acknowledged ones, newest first', () => {
    const alarms = [
      { ...base, id: 'acked', state: 'active_acked', raisedAt: '2026-01-01T00:02:00Z' },
      { ...base, id: 'old', state: 'active_unacked' },
      { ...base, id: 'new', state: 'active_unacked', raisedAt: '2026-01-01T00:01:00Z' },
    ]
    expect(orderAlarms(alarms).map((a) => a.id)).toEqual(['new', 'old', 'acked'])
  })

  it('after the ack: the condition, a manager, or nothing once reset is offered', () => {
    expect(resetWaits({ ...base, state: 'active_unacked' }, 'staff')).toEqual([])
    expect(resetWaits({ ...base, state: 'active_acked' }, 'staff')).toEqual(['condition'])
    expect(resetWaits({ ...base, state: 'active_acked', conditionActive: false }, 'staff')).toEqual([])
    const robbery = { ...base, state: 'active_acked', conditionActive: false, resetRole: 'manager' }
    expect(resetWaits(robbery, 'staff')).toEqual(['manager'])
    expect(resetWaits({ ...base, state: 'active_acked', latching: false }, 'staff')).toEqual(['closes'])
  })
})

describe('one source for every label', () => {
  it('the pages keep no second copy of a gateway label: each is imported from /assets/labels.js', async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const { WEB_LABELS } = await import('../gateway/http/webAssets.js')
    const shared = new Set(
      Object.values(WEB_LABELS).flatMap((table) =>
        Object.values(table as Record<string, { 'zh-CN': string; en: string }>).map((l) => `${l['zh-CN']}|${l.en}`),
      ),
    )
    const folder = new URL('../gateway/web/', import.meta.url)
    const copies = readdirSync(folder)
      .filter((name) => name.endsWith('.js'))
      .flatMap((name) =>
        [...readFileSync(new URL(name, folder), 'utf8').matchAll(/\bt\(\s*'([^']*)',\s*'([^']*)'\s*\)/g)]
          .map((m) => `${m[1]}|${m[2]}`)
          .filter((pair) => shared.has(pair))
          .map((pair) => `${name}: ${pair}`),
      )
    expect(copies).toEqual([])
  })
})
