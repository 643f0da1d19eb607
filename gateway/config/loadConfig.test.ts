// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config-file ${ENV} references, not templates
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { isStoreGuardError, type StoreGuardError } from '../core/errors.js'
import { DEVICE_TYPES } from '../core/reading.js'
import { type ConfigProblem, loadConfig, parseConfig } from './loadConfig.js'
import { BrokerSchema, DeviceSchema, StoreSchema } from './schema.js'

const DEMO = fileURLToPath(new URL('../../deploy/demo.yaml', import.meta.url))
const NO_ENV: NodeJS.ProcessEnv = {}

/** The problems a config_invalid error lists; fails the test if the config was accepted or failed otherwise. */
function problemsOf(load: () => unknown): readonly ConfigProblem[] {
  try {
    load()
  } catch (err) {
    expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
    return (err as StoreGuardError & { problems: readonly ConfigProblem[] }).problems
  }
  return expect.fail('expected the config to be rejected')
}

const problemsIn = (yaml: string, env: NodeJS.ProcessEnv = NO_ENV) =>
  problemsOf(() => parseConfig(yaml, 'store.yaml', env))

/** 1-based line of the only line containing `needle`, so tests say where without counting by hand. */
function lineOf(text: string, needle: string): number {
  const lines = text.split('\n')
  const found = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []))
  expect(found, `"${needle}" should be on exactly one line`).toHaveLength(1)
  return found[0] ?? 0
}

const MINIMAL = 'store:\n  id: shop-12\n'

describe('loading the demo config', () => {
  const config = loadConfig(DEMO, NO_ENV)

  it('loads deploy/demo.yaml without problems', () => {
    expect(config.store.id).toBe('demo-store')
    expect(config.devices.length).toBeGreaterThan(0)
    expect(config.file).toBe(resolve(DEMO))
  })

  it('fills in settings the file leaves out with their defaults', () => {
    expect(config.store.businessHours).toEqual(StoreSchema.properties.businessHours.default)
    expect(Object.keys(config.store.businessHours)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
    expect(config.broker.maxPayloadBytes).toBe(BrokerSchema.properties.maxPayloadBytes.default)
    expect(config.broker.forbiddenBackoffSec).toBe(BrokerSchema.properties.forbiddenBackoffSec.default)
    expect(config.broker.clients.find((c) => c.username === 'simulator')?.publish).toContain('zigbee2mqtt/#')
    expect(config.modbus.buses[0]).toMatchObject({ type: 'tcp', interRequestDelayMs: 0 })
    expect(config.devices.find((d) => d.id === 'panic-counter-1')?.gpio).toMatchObject({
      direction: 'in',
      bias: 'as-is',
    })
  })

  it('derives the topic prefix from the store id', () => {
    expect(config.topicPrefix).toBe(`storeguard/${config.store.id}`)
  })

  it('resolves the data directory relative to the config file, not the working directory', () => {
    expect(config.storage.dataDir).toBe(resolve(dirname(DEMO), '../data/demo'))
  })

  it('uses the simulator password default unless the environment overrides it', () => {
    expect(config.demo?.simulator.password).toBe('demo-simulator')
    const overridden = loadConfig(DEMO, { STOREGUARD_SIM_PASSWORD: 'from-env' })
    expect(overridden.demo?.simulator.password).toBe('from-env')
  })
})

describe('defaults for a minimal config', () => {
  it('accepts a file with only a store id and fills in everything else', () => {
    const config = parseConfig(MINIMAL, 'store.yaml', NO_ENV)
    expect(config.devices).toEqual([])
    expect(config.api.users).toEqual([])
    expect(config.broker.mode).toBe('embedded')
    expect(config.store.timeZone).toBe(StoreSchema.properties.timeZone.default)
    expect(config.demo).toBeUndefined()
  })

  it('gives repair tickets the SLA defaults: the store calendar, 2 business days, reminders at 50 % and 80 %', () => {
    const config = parseConfig(MINIMAL, 'store.yaml', NO_ENV)
    expect(config.tickets).toEqual({
      calendar: 'store',
      targetBusinessDays: 2,
      targetBusinessDaysByType: {},
      workdayHours: [{ open: '09:00', close: '18:00' }],
      remindAt: [0.5, 0.8],
      removeAfterDays: 7,
      autoResolve: false,
      settleSec: 600,
      preOpeningReportMin: 30,
    })
  })

  it('takes a repair target per ticketable device type, and names a type that gets no tickets', () => {
    const config = parseConfig(
      `${MINIMAL}tickets:\n  targetBusinessDaysByType: { air_conditioner: 5 }\n`,
      'store.yaml',
      NO_ENV,
    )
    expect(config.tickets.targetBusinessDaysByType).toEqual({ air_conditioner: 5 })
    const problems = problemsIn(`${MINIMAL}tickets:\n  targetBusinessDaysByType: { smoke: 1 }\n`)
    expect(problems.map((p) => p.path)).toEqual(['tickets.targetBusinessDaysByType.smoke'])
  })

  it('does not share default lists between two loads', () => {
    const first = parseConfig(MINIMAL, 'store.yaml', NO_ENV)
    first.store.businessHours.mon.push({ open: '00:00', close: '01:00' })
    const second = parseConfig(MINIMAL, 'store.yaml', NO_ENV)
    expect(second.store.businessHours.mon).toHaveLength(1)
  })

  it('uses a configured topic prefix instead of the default one', () => {
    expect(parseConfig(`${MINIMAL}  topicPrefix: acme/shop-12\n`, 'store.yaml', NO_ENV).topicPrefix).toBe(
      'acme/shop-12',
    )
  })
})

describe('config problems name the path and the line', () => {
  it('reports a device with an unknown type at devices[1].type, on its line, listing the allowed types', () => {
    const yaml = `${MINIMAL}devices:\n  - id: smoke-1\n    type: smoke\n    zone: hall\n  - id: fridge-1\n    type: fridge\n    zone: back\n`
    const problems = problemsIn(yaml)
    expect(problems.map((p) => [p.path, p.line])).toEqual([['devices[1].type', lineOf(yaml, 'type: fridge')]])
    for (const type of DEVICE_TYPES) expect(problems[0]?.message).toContain(`"${type}"`)
  })

  it('reports an unknown setting by its path', () => {
    const yaml = `${MINIMAL}broker:\n  port: 1883\n  colour: blue\n`
    const problems = problemsIn(yaml)
    expect(problems.map((p) => [p.path, p.line])).toEqual([['broker.colour', lineOf(yaml, 'colour')]])
    expect(problems[0]?.message).toContain('not a known setting')
  })

  it('refuses the fire sirens and strobes under rules.fire, naming their new place under outputs.fire', () => {
    const yaml = `${MINIMAL}rules:\n  fire:\n    sirens: [siren-1]\n    strobes: [strobe-1]\n`
    expect(problemsIn(yaml).map((p) => [p.path, p.line, p.message])).toEqual([
      ['rules.fire.sirens', lineOf(yaml, 'sirens'), 'has moved: set it as outputs.fire.sirens'],
      ['rules.fire.strobes', lineOf(yaml, 'strobes'), 'has moved: set it as outputs.fire.strobes'],
    ])
  })

  it('reports a battery threshold for an unknown device type, and a charge over 100 %, by their paths', () => {
    const yaml = `${MINIMAL}rules:\n  deviceHealth:\n    types:\n      fridge: { lowBatteryMv: 2500 }\n      smoke: { lowBatteryPct: 150 }\n`
    const problems = problemsIn(yaml)
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['rules.deviceHealth.types.fridge', lineOf(yaml, 'fridge')],
      ['rules.deviceHealth.types.smoke.lowBatteryPct', lineOf(yaml, '150')],
    ])
  })

  it('reports a negative battery voltage threshold on a device by its path', () => {
    const yaml = `${MINIMAL}devices:\n  - { id: smoke-1, type: smoke, zone: hall, lowBatteryMv: -1 }\n`
    expect(problemsIn(yaml).map((p) => p.path)).toEqual(['devices[0].lowBatteryMv'])
  })

  it('reports a missing store id as a required setting of store', () => {
    const yaml = 'store:\n  name: Shop 12\n'
    const problems = problemsIn(yaml)
    expect(problems.map((p) => p.path)).toEqual(['store'])
    expect(problems[0]?.message).toContain('"id"')
    expect(problems[0]?.line).toBe(lineOf(yaml, 'name:'))
  })

  it('reports an empty file as missing the store section', () => {
    const problems = problemsIn('')
    expect(problems.map((p) => p.path)).toEqual([''])
    expect(problems[0]?.message).toContain('"store"')
  })

  it('reports a duplicate device id at the second use, on its line', () => {
    const yaml = `${MINIMAL}devices:\n  - { id: smoke-1, type: smoke, zone: hall }\n  - { id: leak-1, type: leak, zone: back }\n  - { id: smoke-1, type: door, zone: hall }\n`
    const problems = problemsIn(yaml)
    expect(problems.map((p) => [p.path, p.line])).toEqual([['devices[2].id', lineOf(yaml, 'type: door')]])
    expect(problems[0]?.message).toContain('devices[0]')
  })

  it('reports two devices on the same custom topic', () => {
    const yaml = `${MINIMAL}devices:\n  - { id: smoke-1, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/hall } }\n  - { id: smoke-2, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/hall } }\n`
    expect(problemsIn(yaml).map((p) => p.path)).toEqual(['devices[1].mqtt.topic'])
  })

  it('requires broker.url when the broker is external', () => {
    expect(problemsIn(`${MINIMAL}broker:\n  mode: external\n`).map((p) => p.path)).toEqual(['broker.url'])
  })

  it('says in words what a malformed id must look like', () => {
    const problems = problemsIn(`${MINIMAL}devices:\n  - { id: Smoke 1, type: smoke, zone: hall }\n`)
    expect(problems.map((p) => p.path)).toEqual(['devices[0].id'])
    expect(problems[0]?.message).toContain(DeviceSchema.properties.id.description)
  })

  it('reports a YAML syntax error with its line', () => {
    const yaml = `${MINIMAL} broker: oops\n`
    const problems = problemsIn(yaml)
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0]).toMatchObject({ path: '', line: lineOf(yaml, 'broker: oops') })
  })

  it('reports every problem at once, not just the first', () => {
    const yaml = [
      'store:',
      '  name: Shop 12',
      'broker:',
      '  colour: blue',
      '  port: 99999',
      'devices:',
      '  - { id: fridge-1, type: fridge, zone: back }',
      '  - { id: smoke-1, type: smoke, zone: hall, volume: 11 }',
      '',
    ].join('\n')
    const problems = problemsIn(yaml)
    expect(new Set(problems.map((p) => p.path))).toEqual(
      new Set(['store', 'broker.colour', 'broker.port', 'devices[0].type', 'devices[1].volume']),
    )
    expect(problems.find((p) => p.path === 'broker.port')?.line).toBe(lineOf(yaml, '99999'))
    expect(problems.find((p) => p.path === 'devices[1].volume')?.line).toBe(lineOf(yaml, 'volume'))
  })

  it('reports a missing environment variable together with the schema problems', () => {
    const problems = problemsIn(`store:\n  id: shop-12\n  name: \${STORE_NAME}\nbroker:\n  colour: blue\n`)
    expect(problems.map((p) => p.path).sort()).toEqual(['broker.colour', 'store.name'])
  })
})

describe('plain secrets where a hash belongs', () => {
  const PLAIN = 'hunter2-plain-secret'

  /** The config_invalid error for `yaml`, with every text a person or a log could see of it. */
  function refusal(yaml: string): { problems: readonly ConfigProblem[]; texts: string[] } {
    try {
      parseConfig(yaml, 'store.yaml', NO_ENV)
    } catch (err) {
      expect(isStoreGuardError(err, 'config_invalid'), String(err)).toBe(true)
      const problems = (err as StoreGuardError & { problems: readonly ConfigProblem[] }).problems
      const e = err as Error
      return { problems, texts: [e.message, String(e), e.stack ?? '', JSON.stringify(err), JSON.stringify(problems)] }
    }
    return expect.fail('expected the config to be rejected')
  }

  it.each([
    [
      'a device MQTT password',
      `devices:\n  - { id: smoke-1, type: smoke, zone: hall, mqtt: { passwordHash: ${PLAIN} } }\n`,
      'devices[0].mqtt.passwordHash',
    ],
    [
      'a broker client password',
      `broker:\n  clients:\n    - { username: z2m, passwordHash: ${PLAIN} }\n`,
      'broker.clients[0].passwordHash',
    ],
    [
      'an API token',
      `api:\n  users:\n    - { name: vera, role: viewer, tokenHash: ${PLAIN} }\n`,
      'api.users[0].tokenHash',
    ],
  ])(
    'refuses %s written in plain, naming the path and how to make a hash, without repeating it',
    (_, section, path) => {
      const yaml = `${MINIMAL}${section}`
      const { problems, texts } = refusal(yaml)
      expect(problems.map((p) => [p.path, p.line])).toEqual([[path, lineOf(yaml, PLAIN)]])
      expect(problems[0]?.message).toContain('hash from')
      expect(problems[0]?.message).toContain('storeguard hash-secret')
      for (const text of texts) expect(text).not.toContain(PLAIN)
    },
  )
})

describe('secrets and settings from the environment', () => {
  const withBroker = (password: string) => `${MINIMAL}broker:\n  password: ${password}\n`

  it('replaces ${NAME} with the environment variable', () => {
    const config = parseConfig(withBroker('${MQTT_PASSWORD}'), 'store.yaml', { MQTT_PASSWORD: 's3cret' })
    expect(config.broker.password).toBe('s3cret')
  })

  it('replaces ${NAME} inside a longer string', () => {
    const config = parseConfig(`store:\n  id: shop-12\n  name: Shop \${SHOP_NO} (\${CITY})\n`, 'store.yaml', {
      SHOP_NO: '12',
      CITY: 'Shenzhen',
    })
    expect(config.store.name).toBe('Shop 12 (Shenzhen)')
  })

  it('uses the default of ${NAME:-default} when the variable is unset or empty, and the variable when set', () => {
    const yaml = withBroker('${MQTT_PASSWORD:-fallback}')
    expect(parseConfig(yaml, 'store.yaml', NO_ENV).broker.password).toBe('fallback')
    expect(parseConfig(yaml, 'store.yaml', { MQTT_PASSWORD: '' }).broker.password).toBe('fallback')
    expect(parseConfig(yaml, 'store.yaml', { MQTT_PASSWORD: 'set' }).broker.password).toBe('set')
  })

  it('takes a value with YAML-special characters literally', () => {
    const tricky = 'a: b # c, [d] {e}'
    expect(parseConfig(withBroker('${MQTT_PASSWORD}'), 'store.yaml', { MQTT_PASSWORD: tricky }).broker.password).toBe(
      tricky,
    )
  })

  it('reports a missing variable with the path and line that refer to it', () => {
    const yaml = withBroker('${MQTT_PASSWORD}')
    const problems = problemsIn(yaml)
    expect(problems.map((p) => p.path)).toEqual(['broker.password'])
    expect(problems[0]?.message).toContain('MQTT_PASSWORD')
    expect(problems[0]?.line).toBe(lineOf(yaml, 'MQTT_PASSWORD'))
  })

  it('a number from the environment is a number where the schema wants one', () => {
    const yaml = `${MINIMAL}broker:\n  port: \${MQTT_PORT}\n`
    expect(parseConfig(yaml, 'store.yaml', { MQTT_PORT: '1884' }).broker.port).toBe(1884)
    expect(problemsIn(yaml, { MQTT_PORT: 'eighteen' }).map((p) => p.path)).toEqual(['broker.port'])
  })

  it('reads ${file:/path} from a file, and reports an unreadable one by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storeguard-secret-'))
    try {
      const secretFile = join(dir, 'mqtt-password')
      writeFileSync(secretFile, 'from-file\n')
      expect(parseConfig(withBroker(`\${file:${secretFile}}`), 'store.yaml', NO_ENV).broker.password).toBe('from-file')
      expect(problemsIn(withBroker(`\${file:${join(dir, 'missing')}}`)).map((p) => p.path)).toEqual(['broker.password'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the upstream bridge to a central broker', () => {
  const withBridge = (lines: readonly string[]) => `${MINIMAL}bridge:\n${lines.map((l) => `  ${l}\n`).join('')}`

  it('is off without a bridge section', () => {
    expect(parseConfig(MINIMAL, 'store.yaml', NO_ENV).bridge).toBeUndefined()
  })

  it('fills in every bridge setting but the url with its default', () => {
    const config = parseConfig(withBridge(['url: mqtts://central.example.com:8883']), 'store.yaml', NO_ENV)
    expect(config.bridge).toEqual({
      enabled: true,
      url: 'mqtts://central.example.com:8883',
      tls: { rejectUnauthorized: true },
      keepaliveSec: 30,
      reconnect: { baseMs: 1000, capMs: 60_000 },
      maxInFlight: 50,
      maxQueued: 100_000,
      telemetry: { enabled: false, intervalSec: 60 },
      commands: { enabled: true, role: 'staff' },
    })
  })

  it('names bridge.tls.key when a client certificate comes without its key, and the other way round', () => {
    const certOnly = withBridge(['url: mqtts://central.example.com', 'tls: { ca: ca.crt, cert: store.crt }'])
    expect(problemsIn(certOnly).map((p) => p.path)).toEqual(['bridge.tls.key'])
    const keyOnly = withBridge(['url: mqtts://central.example.com', 'tls: { key: store.key }'])
    expect(problemsIn(keyOnly).map((p) => p.path)).toEqual(['bridge.tls.cert'])
  })

  it('names bridge.url when certificates are given for a plain mqtt:// url', () => {
    const yaml = withBridge(['url: mqtt://central.example.com', 'tls: { ca: ca.crt, cert: store.crt, key: store.key }'])
    const problems = problemsIn(yaml)
    expect(problems.map((p) => [p.path, p.line])).toEqual([['bridge.url', lineOf(yaml, 'url:')]])
    expect(problems[0]?.message).toContain('mqtts://')
  })

  it('reads relative certificate paths from the config file’s folder, and keeps absolute ones', () => {
    const yaml = withBridge([
      'url: mqtts://central.example.com',
      'tls: { ca: certs/ca.crt, cert: ../pki/store.crt, key: /secure/store.key }',
    ])
    const config = parseConfig(yaml, '/etc/storeguard/store.yaml', NO_ENV)
    expect(config.bridge?.tls).toEqual({
      ca: '/etc/storeguard/certs/ca.crt',
      cert: '/etc/pki/store.crt',
      key: '/secure/store.key',
      rejectUnauthorized: true,
    })
  })

  it('names bridge.url, on its line, when it is not an MQTT url', () => {
    for (const url of ['http://central.example.com', 'central.example.com:8883', 'ws://central.example.com']) {
      const yaml = withBridge([`url: ${url}`])
      const problems = problemsIn(yaml)
      expect(
        problems.map((p) => [p.path, p.line]),
        url,
      ).toEqual([['bridge.url', lineOf(yaml, 'url:')]])
      expect(problems[0]?.message).toContain('central broker URL')
    }
  })
})

describe('loading a config file from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-config-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('names the file and the line in the error message', () => {
    const file = join(dir, 'bad.yaml')
    const yaml = `${MINIMAL}broker:\n  colour: blue\n`
    writeFileSync(file, yaml)
    let message = ''
    expect(problemsOf(() => loadConfig(file, NO_ENV)).map((p) => p.path)).toEqual(['broker.colour'])
    try {
      loadConfig(file, NO_ENV)
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toContain(`${file}:${lineOf(yaml, 'colour')}`)
    expect(message).toContain('broker.colour')
  })

  it('refuses a file it cannot read with config_unreadable', () => {
    let caught: unknown
    try {
      loadConfig(join(dir, 'does-not-exist.yaml'), NO_ENV)
    } catch (err) {
      caught = err
    }
    expect(isStoreGuardError(caught, 'config_unreadable')).toBe(true)
  })
})
