import { describe, expect, it } from 'vitest'
import type { Reading } from '../core/reading.js'
import type { WeatherWarning } from '../core/weather.js'
import { createLogger } from '../log.js'
import { createMetrics, type GatewayMetrics } from '../metrics.js'
import { adapterOutput, createStringCleaner, subscribeWeather, unreadTopics } from './inputs.js'

/** A logger whose lines land in an array, to check what the log says and how often. */
function capturedLog() {
  const lines: string[] = []
  const log = createLogger('info', { write: (line: string) => lines.push(line) })
  return { log, lines }
}

async function count(metrics: GatewayMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
  return Number(value?.value ?? 0)
}

const reading = (metric: string, value: Reading['value'], deviceType: Reading['deviceType'] = 'terminal'): Reading => ({
  store: 's',
  deviceId: 'terminal-1',
  deviceType,
  zone: 'z',
  metric,
  value,
  ts: 0,
  quality: 'good',
})

function wired() {
  const metrics = createMetrics()
  const { log, lines } = capturedLog()
  const readings: Reading[] = []
  const output = adapterOutput({ onReading: (r) => readings.push(r), onCommStatus: () => undefined }, metrics, log)
  return { metrics, lines, readings, output }
}

describe('where every adapter hands in readings', () => {
  it('cleans a string reading before the engine sees it, and counts what was cleaned', async () => {
    const { metrics, lines, readings, output } = wired()
    output.reading(reading('status', 'fault\u0007\u202e\nx'))
    expect(readings.map((r) => r.value)).toEqual(['fault x'])
    expect(await count(metrics, 'storeguard_cleaned_strings_total', { reason: 'control_chars' })).toBe(1)
    expect(await count(metrics, 'storeguard_cleaned_strings_total', { reason: 'bidi_override' })).toBe(1)
    expect(await count(metrics, 'storeguard_readings_total', { type: 'terminal' })).toBe(1)
    // the log says what was cleaned, never the raw string
    expect(lines.join('')).not.toContain('\u202e')
    expect(lines.join('')).not.toContain('\\u0007')
  })

  it('leaves clean strings, numbers and booleans as they are, uncounted', async () => {
    const { metrics, readings, output } = wired()
    output.reading(reading('status', 'ok'))
    output.reading(reading('uptime_sec', 12))
    output.reading(reading('paper_low', true))
    expect(readings.map((r) => r.value)).toEqual(['ok', 12, true])
    expect(await count(metrics, 'storeguard_cleaned_strings_total', {})).toBe(0)
  })

  it('rejects a number outside its metric range as out_of_range, from any transport', async () => {
    const { metrics, readings, output } = wired()
    output.reading(reading('battery_pct', 140, 'power'))
    output.reading(reading('uptime_sec', Number.POSITIVE_INFINITY))
    output.reading(reading('battery_pct', 40, 'power'))
    expect(readings.map((r) => r.value)).toEqual([40])
    expect(await count(metrics, 'storeguard_rejected_messages_total', { reason: 'out_of_range' })).toBe(2)
  })

  it('logs rejections at a bounded rate keyed by reason, with the topic cleaned', async () => {
    const { metrics, lines, output } = wired()
    for (let i = 0; i < 20; i++)
      output.rejected('unknown_device', { topic: `p/devices/ghost\u202e-${i}/state`, detail: 'x' })
    expect(await count(metrics, 'storeguard_rejected_messages_total', { reason: 'unknown_device' })).toBe(20)
    const logged = lines.filter((l) => l.includes('device message rejected'))
    expect(logged).toHaveLength(1)
    expect(logged[0]).not.toContain('\u202e')
  })
})

describe('client messages on topics nothing reads', () => {
  it('are counted one by one under the reason they are given, logged at a bounded rate, or left alone', async () => {
    const metrics = createMetrics()
    const { log, lines } = capturedLog()
    const unread = unreadTopics(metrics, log, (topic) => (topic.startsWith('own/') ? null : 'foreign_topic'))
    for (let i = 0; i < 200; i++) unread(`somewhere/else/${i}`)
    unread('own/availability')
    expect(await count(metrics, 'storeguard_rejected_messages_total', { reason: 'foreign_topic' })).toBe(200)
    expect(lines.filter((l) => l.includes('"reason":"foreign_topic"'))).toHaveLength(1)
  })
})

describe('weather warnings', () => {
  async function weather(payload: unknown) {
    const metrics = createMetrics()
    const { log } = capturedLog()
    const warnings: WeatherWarning[] = []
    const rejections: string[] = []
    let handler: (topic: string, payload: Buffer) => void = () => undefined
    await subscribeWeather(
      {
        subscribe: async (_filters, h) => {
          handler = h
        },
        unsubscribe: async () => undefined,
      },
      'p/weather',
      { now: () => 0 },
      (w) => warnings.push(w),
      (reason) => rejections.push(reason),
      createStringCleaner(metrics, log),
    )
    handler('p/weather', Buffer.from(JSON.stringify(payload)))
    return { warnings, rejections, metrics }
  }

  it('cleans the kind and text, and counts the cleaning', async () => {
    const { warnings, metrics } = await weather({ kind: 'rain\u202estorm', level: 'blue', text: 'line1\nline2\u0000' })
    expect(warnings).toMatchObject([{ kind: 'rainstorm', text: 'line1 line2' }])
    expect(await count(metrics, 'storeguard_cleaned_strings_total', { reason: 'control_chars' })).toBe(1)
  })

  it('uses a warning whose text is not a string and counts the text as wrong_type', async () => {
    const { warnings, rejections } = await weather({ kind: 'rainstorm', level: 'blue', text: 42 })
    expect(warnings).toMatchObject([{ kind: 'rainstorm', text: null }])
    expect(rejections).toEqual(['wrong_type'])
  })

  it('drops a warning whose cancelled flag is not a boolean, counted as wrong_type', async () => {
    const { warnings, rejections } = await weather({ kind: 'rainstorm', level: 'blue', cancelled: 'yes' })
    expect(warnings).toEqual([])
    expect(rejections).toEqual(['wrong_type'])
  })
})
