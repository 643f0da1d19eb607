import { Aedes } from 'aedes'
import { afterEach, describe, expect, it } from 'vitest'
import { createEmbeddedBus } from '../bus/embeddedBus.js'
import type { Alarm } from '../core/alarm.js'
import { EventBus } from '../core/events.js'
import type { Reading } from '../core/reading.js'
import { createLogger } from '../log.js'
import { openMemoryDatabase, type SqliteDatabase } from '../storage/database.js'
import { createDiscoveryIndex } from './discoveryIndex.js'
import { createHomeAssistant, type HomeAssistantSetup } from './homeAssistant.js'

const P = 'storeguard/s1'
const SMOKE = 'homeassistant/binary_sensor/storeguard_s1/smoke-1_smoke/config'
const LEAK = 'homeassistant/binary_sensor/storeguard_s1/leak-1_water_leak/config'

function setup(devices: HomeAssistantSetup['devices'], enabled = true): HomeAssistantSetup {
  return {
    enabled,
    discoveryPrefix: 'homeassistant',
    topicPrefix: P,
    store: { id: 's1', name: 'Store one', locale: 'en' },
    devices,
    zoneNames: {},
    swVersion: '1.0.0',
  }
}
const smoke = { id: 'smoke-1', type: 'smoke', zone: 'hall' } as const
const leak = { id: 'leak-1', type: 'leak', zone: 'hall' } as const

/** A real aedes broker in-process, and every retained topic's last payload as a subscriber sees it. */
async function harness(db: SqliteDatabase = openMemoryDatabase()) {
  const aedes = await Aedes.createBroker()
  const bus = createEmbeddedBus(aedes, (err) => errors.push(err))
  closing.push(async () => {
    await bus.close()
    if (!aedes.closed) await new Promise<void>((resolve) => aedes.close(() => resolve()))
  })
  await bus.startDelivery(async () => undefined)
  const last = new Map<string, string>()
  const summaries: string[] = []
  await new Promise<void>((resolve) =>
    aedes.subscribe(
      '#',
      (packet, done) => {
        last.set(packet.topic, packet.payload.toString())
        if (packet.topic === `${P}/state/alarms`) summaries.push(packet.payload.toString())
        done()
      },
      resolve,
    ),
  )
  const open: Alarm[] = []
  const events = new EventBus((err) => {
    throw err
  })
  const make = (s: HomeAssistantSetup) =>
    createHomeAssistant(s, {
      bus,
      events,
      openAlarms: () => open,
      index: createDiscoveryIndex(db),
      now: () => 1,
      log: createLogger('silent'),
    })
  return { aedes, bus, db, last, summaries, open, events, make }
}

const closing: (() => Promise<void>)[] = []
const errors: Error[] = []
afterEach(async () => {
  for (const close of closing.splice(0)) await close()
  expect(errors.splice(0)).toEqual([])
})

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((r) => setImmediate(r))
}

describe('Home Assistant discovery on a running broker', () => {
  it('announces the devices, and clears a device a reload takes away', async () => {
    const h = await harness()
    const ha = h.make(setup([smoke, leak]))
    await ha.start()
    await until(() => h.last.has(LEAK) && h.last.has(SMOKE))
    expect(JSON.parse(h.last.get(SMOKE) ?? '')).toMatchObject({ device_class: 'smoke' })

    await ha.reload(setup([smoke]))
    await until(() => h.last.get(LEAK) === '' && h.last.get(`${P}/state/devices/leak-1/availability`) === '')
    expect(h.last.get(SMOKE)).not.toBe('')
    expect(createDiscoveryIndex(h.db).live()).not.toContain(LEAK)
    expect(createDiscoveryIndex(h.db).cleared()).toContain(LEAK)

    await ha.reload(setup([smoke, leak]))
    await until(() => (h.last.get(LEAK) ?? '') !== '')
    await until(() => h.last.get(`${P}/state/devices/leak-1/availability`) === 'online')
  })

  it('clears after a restart what an older config announced, from the journal', async () => {
    const db = openMemoryDatabase()
    const first = await harness(db)
    await first.make(setup([smoke, leak])).start()
    await until(() => first.last.has(LEAK))
    await first.bus.close()
    await new Promise<void>((resolve) => first.aedes.close(() => resolve()))

    // a new broker with an empty retained store, as the embedded one after a restart
    const second = await harness(db)
    await second.make(setup([smoke])).start()
    await until(() => second.last.get(LEAK) === '')
    expect(second.last.get(SMOKE)).not.toBe('')
  })

  it('clears every entity when turned off', async () => {
    const h = await harness()
    const ha = h.make(setup([smoke]))
    await ha.start()
    await until(() => h.last.has(SMOKE))
    await ha.reload(setup([smoke], false))
    await until(() => h.last.get(SMOKE) === '' && h.last.get(`${P}/state/alarms`) === '')
    expect(createDiscoveryIndex(h.db).live()).toEqual([])
  })

  it('publishes readings and device health on the state topics it announced', async () => {
    const h = await harness()
    const ha = h.make(setup([smoke]))
    await ha.start()
    const reading = (metric: string, value: boolean | number): Reading =>
      ({ deviceId: 'smoke-1', deviceType: 'smoke', metric, value, ts: 1, zone: 'hall' }) as Reading
    h.events.emit({ type: 'reading', reading: reading('smoke', false) })
    h.events.emit({ type: 'reading', reading: reading('battery', 87) })
    await until(() => h.last.get(`${P}/state/devices/smoke-1/values/battery`) === '87')
    expect(h.last.get(`${P}/state/devices/smoke-1/values/smoke`)).toBe('false')

    const silence = {
      kind: 'device_fault',
      deviceId: 'smoke-1',
      key: 'device_fault:smoke-1:silent',
      silent: false,
      state: 'active_unacked',
      conditionActive: true,
    } as Alarm
    h.open.push(silence)
    h.events.emit({ type: 'alarm', action: 'raised', alarm: silence, by: 'rule:supervision', at: '' })
    await until(() => h.last.get(`${P}/state/devices/smoke-1/availability`) === 'offline')
    expect(h.last.get(`${P}/state/devices/smoke-1/fault`)).toBe('true')
    expect(JSON.parse(h.last.get(`${P}/state/alarms`) ?? '{}')).toMatchObject({ device_fault: 1, total: 1 })
    ha.stop()
  })

  it('announces everything again, and clears removed entities again, when Home Assistant says it has started', async () => {
    const h = await harness()
    const ha = h.make(setup([smoke, leak]))
    await ha.start()
    await until(() => h.last.has(LEAK))
    await ha.reload(setup([smoke]))
    await until(() => h.last.get(LEAK) === '')
    h.last.clear()
    h.aedes.publish(
      {
        cmd: 'publish',
        topic: 'homeassistant/status',
        payload: Buffer.from('online'),
        qos: 0,
        retain: false,
        dup: false,
      },
      () => undefined,
    )
    await until(() => h.last.has(SMOKE) && h.last.has(`${P}/state/alarms`) && h.last.get(LEAK) === '')
  })

  it('publishes nothing at all when a silent robbery alarm is raised', async () => {
    const h = await harness()
    await h.make(setup([smoke])).start()
    await until(() => h.summaries.length === 1)
    const robbery = { kind: 'robbery', deviceId: 'panic-1', key: 'robbery:panic-1', silent: true } as Alarm
    h.open.push({ ...robbery, state: 'active_unacked', conditionActive: true })
    h.events.emit({ type: 'alarm', action: 'raised', alarm: h.open[0] as Alarm, by: 'rule:robbery', at: '' })
    // a reading after it: once its value is out, anything the robbery caused would be out too (one ordered queue)
    const reading = { deviceId: 'smoke-1', deviceType: 'smoke', metric: 'smoke', value: false, ts: 1, zone: 'hall' }
    h.events.emit({ type: 'reading', reading: reading as Reading })
    await until(() => h.last.get(`${P}/state/devices/smoke-1/values/smoke`) === 'false')
    expect(h.summaries).toEqual([
      JSON.stringify({
        fire: 0,
        flood: 0,
        terminal_fault: 0,
        device_fault: 0,
        power_outage: 0,
        system_fault: 0,
        facility_fault: 0,
        complaint_escalation: 0,
        queue_wait: 0,
        total: 0,
      }),
    ])
    expect([...h.last.values()].some((p) => p.includes('robbery') || p.includes('panic'))).toBe(false)
  })

  it('once stopped, a reload caught under way, a later reload and Home Assistant coming online publish nothing', async () => {
    const h = await harness()
    const ha = h.make(setup([smoke]))
    await ha.start()
    await until(() => h.last.has(SMOKE))
    const late = ha.reload({ ...setup([smoke]), discoveryPrefix: 'ha2' })
    ha.stop()
    await late
    h.last.clear()
    await ha.reload(setup([smoke, leak]))
    const reading = { deviceId: 'smoke-1', deviceType: 'smoke', metric: 'smoke', value: true, ts: 1, zone: 'hall' }
    h.events.emit({ type: 'reading', reading: reading as Reading })
    const publish = (topic: string, payload: string) =>
      new Promise<void>((resolve) =>
        h.aedes.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false },
          () => resolve(),
        ),
      )
    await publish('homeassistant/status', 'online')
    await publish('ha2/status', 'online')
    // one ordered broker: anything the births caused is out before this comes back to the test's subscriber
    await publish('test/marker', 'end')
    await until(() => h.last.has('test/marker'))
    expect([...h.last.keys()].filter((t) => !t.endsWith('/status'))).toEqual(['test/marker'])
  })
})
