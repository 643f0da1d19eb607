import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { connectClient } from './support/mqttClient.js'
import { startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS } from './support/testStore.js'

type Counts = Record<string, number>

/** Every sample of a counter with one `reason` label, by reason. */
function byReason(metricsText: string, name: string): Counts {
  const counts: Counts = {}
  for (const m of metricsText.matchAll(new RegExp(`^${name}\\{reason="([^"]+)"\\} (\\S+)$`, 'gm'))) {
    counts[m[1] as string] = Number(m[2])
  }
  return counts
}

const diff = (after: Counts, before: Counts): Counts =>
  Object.fromEntries(
    Object.entries(after)
      .map(([reason, n]) => [reason, n - (before[reason] ?? 0)] as const)
      .filter(([, d]) => d !== 0),
  )

/** Raw characters that must never reach a log, the journal or an API answer. */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']

describe('every rejected message is counted by reason, and device strings are cleaned before use', () => {
  const dir = tempDir()
  let store: Awaited<ReturnType<typeof startStoreUnderTest>>
  let bridge: MqttClient
  let zigbee: MqttClient

  beforeAll(async () => {
    store = await startStoreUnderTest({ dir })
    bridge = await connectClient(store.gateway.mqttUrl, 'bridge', SECRETS.bridge, { clientId: 'rejections-bridge' })
    zigbee = await connectClient(store.gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await zigbee?.endAsync()
    await store?.stop()
    dir.remove()
  })

  const metricsText = async (): Promise<string> => (await store.get('/metrics')) as string
  const rejected = async () => byReason(await metricsText(), 'storeguard_rejected_messages_total')
  const cleaned = async () => byReason(await metricsText(), 'storeguard_cleaned_strings_total')

  /** Waits until the counters have moved by `expected` from `before`, then checks nothing else moved. */
  async function expectCounted(read: () => Promise<Counts>, before: Counts, expected: Counts, what: string) {
    const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0)
    const want = total(expected)
    const after = await eventually(
      async () => {
        const now = await read()
        return total(diff(now, before)) >= want ? now : undefined
      },
      20_000,
      what,
    )
    expect(diff(after, before), what).toEqual(expected)
  }

  it('counts 200 messages on topics no device or gateway reads as foreign_topic, exactly', async () => {
    const before = await rejected()
    // the zigbee2mqtt bridge may publish anywhere under zigbee2mqtt/, but only smoke_hall_1 is a device there
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => zigbee.publishAsync(`zigbee2mqtt/not-a-device/${i}`, 'x', { qos: 1 })),
    )
    await expectCounted(rejected, before, { foreign_topic: 200 }, '200 foreign topics')
  })

  it('does not count a device availability topic', async () => {
    const before = await rejected()
    await zigbee.publishAsync('zigbee2mqtt/smoke_hall_1/availability', 'online', { qos: 1 })
    // a counted message after it: once that is in, the availability message was handled too
    await zigbee.publishAsync('zigbee2mqtt/not-a-device/marker', 'x', { qos: 1 })
    await expectCounted(rejected, before, { foreign_topic: 1 }, 'the marker only')
  })

  it.each([
    ['null_value', 'smoke-hall-2/state', '{"smoke": false, "battery": null}'],
    ['out_of_range', 'smoke-hall-2/state', '{"smoke": false, "battery": 150}'],
    ['out_of_range', 'terminal-1/uptime_sec', '1e999'],
    ['wrong_type', 'terminal-1/state', '{"paper_low": false, "fault_codes": ["printer", 7]}'],
    ['wrong_type', 'smoke-hall-2/state', '{"smoke": false, "tamper": {"open": true}}'],
    ['unknown_metric', 'terminal-1/state', '{"colour": "red", "shape": "round"}'],
    ['empty', 'terminal-1/state', '{}'],
    ['unknown_topic', 'terminal-1/extra/level', '1'],
  ])('counts %s once for %s %s', async (reason, topic, payload) => {
    const before = await rejected()
    await bridge.publishAsync(`${PREFIX}/devices/${topic}`, payload, { qos: 1 })
    await expectCounted(rejected, before, { [reason]: 1 }, `${reason} on ${topic}`)
  })

  it.each([
    ['a text that is not a string', { kind: 'rainstorm', level: 'blue', text: 42 }],
    ['a cancelled flag that is not a boolean', { kind: 'rainstorm', level: 'blue', cancelled: 'yes' }],
  ])('counts a weather warning with %s once as wrong_type', async (_what, warning) => {
    const before = await rejected()
    await bridge.publishAsync(`${PREFIX}/weather`, JSON.stringify(warning), { qos: 1 })
    await expectCounted(rejected, before, { wrong_type: 1 }, 'weather wrong_type')
  })

  it('uses the good fields of a partly bad message', async () => {
    await bridge.publishAsync(
      `${PREFIX}/devices/smoke-hall-2/state`,
      JSON.stringify({ smoke: false, battery: 77, voltage: -5 }),
      { qos: 1 },
    )
    const device = await eventually(async () => {
      const d = (await store.get('/api/devices')).devices.find((x: { id: string }) => x.id === 'smoke-hall-2')
      return d?.values.battery?.value === 77 ? d : undefined
    })
    expect(device.values.voltage).toBeUndefined()
  })

  it('shows a terminal status and fault codes cleaned of control characters and bidi overrides', async () => {
    const rejectedBefore = await rejected()
    const cleanedBefore = await cleaned()
    const status = 'fa\u0000ult\u202e'
    const faultCodes = `printer\u0007,scr\u2066een\n${'\u202d'}`
    await bridge.publishAsync(
      `${PREFIX}/devices/terminal-1/state`,
      JSON.stringify({ status, fault_codes: faultCodes, paper_low: false }),
      { qos: 1 },
    )
    await bridge.publishAsync(
      `${PREFIX}/devices/smoke-hall-2/state`,
      JSON.stringify({ smoke: false, battery_state: `ok\ud800${'y'.repeat(300)}` }),
      { qos: 1 },
    )
    await expectCounted(
      cleaned,
      cleanedBefore,
      { control_chars: 2, bidi_override: 2, lone_surrogate: 1, too_long: 1 },
      'cleaned strings',
    )
    // cleaned, not rejected: the messages were used
    expect(diff(await rejected(), rejectedBefore)).toEqual({})

    const terminal = (await store.get('/api/devices')).devices.find((d: { id: string }) => d.id === 'terminal-1')
    expect(terminal.values.status.value).toBe('fault')
    expect(terminal.values.fault_codes.value).toBe('printer,screen ')
    const smoke = (await store.get('/api/devices')).devices.find((d: { id: string }) => d.id === 'smoke-hall-2')
    expect(smoke.values.battery_state.value).toBe(`ok\ufffd${'y'.repeat(253)}`)

    // the cleaned status is a real fault: the alarm and its details carry the cleaned codes
    const alarm = await store.alarmByKey('terminal_fault:terminal-1')
    expect(alarm.details.faultCodes).toBe('printer,screen')
    const alarms = JSON.stringify(await store.get('/api/alarms'))
    const notices = JSON.stringify(await store.get('/api/notices'))
    for (const text of [alarms, notices, JSON.stringify(terminal)]) {
      for (const c of BIDI) expect(text).not.toContain(c)
      expect(text).not.toMatch(/\\u000[07]|\\ud800/)
    }
  })

  it('keeps raw control characters and bidi overrides out of the log and the journal', async () => {
    // the live database and its write-ahead log, as the gateway has written them so far
    const logged = store.gateway.output.join('\n')
    for (const c of BIDI) expect(logged).not.toContain(c)
    expect(logged).not.toMatch(/printer\\u0007|fa\\u0000ult/)
    const journal = readdirSync(dir.path).filter((f) => f.endsWith('.db') || f.endsWith('-wal'))
    expect(journal.length).toBeGreaterThan(0)
    for (const file of journal) {
      const bytes = readFileSync(join(dir.path, file))
      for (const c of BIDI)
        expect(bytes.includes(Buffer.from(c)), `${file} U+${c.codePointAt(0)?.toString(16)}`).toBe(false)
      expect(bytes.includes(Buffer.from('printer\u0007')), file).toBe(false)
      expect(bytes.includes(Buffer.from('fa\u0000ult')), file).toBe(false)
    }
  })

  it('stays up, and a smoke alarm still works afterwards', async () => {
    await bridge.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ smoke: true }), { qos: 1 })
    const alarm = await store.alarmOfKind('fire')
    expect(alarm).toMatchObject({ kind: 'fire', deviceId: 'smoke-hall-2' })
    expect(store.gateway.proc.exitCode).toBeNull()
  })
})
