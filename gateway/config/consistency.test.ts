import { describe, expect, it } from 'vitest'
import { parseConfig } from './loadConfig.js'

/** The problems of a config with these Modbus buses, as path → message; {} when it loads. */
function busProblems(buses: string, extra = ''): Record<string, string> {
  return configProblems(`store: { id: s1 }\nmodbus:\n  buses:\n${buses}\n${extra}`)
}

/** The problems of this config, as path → message; {} when it loads. */
function configProblems(yaml: string): Record<string, string> {
  try {
    parseConfig(yaml, 'store.yaml', {})
    return {}
  } catch (err) {
    const problems = (err as { problems?: readonly { path: string; message: string }[] }).problems
    if (problems === undefined) throw err
    return Object.fromEntries(problems.map((p) => [p.path, p.message]))
  }
}

describe('Modbus buses in the config', () => {
  it('refuses a second TCP bus on a host:port another bus already connects to (one connection per host)', () => {
    const problems = busProblems(
      [
        '    - { id: gw-a, type: tcp, host: 10.0.0.5, port: 502 }',
        '    - { id: gw-b, type: tcp, host: 10.0.0.6 }',
        '    - { id: gw-c, type: tcp, host: 10.0.0.5, port: 5020 }',
        '    - { id: gw-d, type: tcp, host: 10.0.0.5 }',
      ].join('\n'),
    )
    expect(Object.keys(problems)).toEqual(['modbus.buses[3].host'])
    expect(problems['modbus.buses[3].host']).toMatch(/^10\.0\.0\.5:502 is already the host of modbus\.buses\[0\]/)
  })

  it('tells host names apart without regard to case', () => {
    const problems = busProblems(
      ['    - { id: gw-a, type: tcp, host: ups-gw.local }', '    - { id: gw-b, type: tcp, host: UPS-GW.local }'].join(
        '\n',
      ),
    )
    expect(Object.keys(problems)).toEqual(['modbus.buses[1].host'])
  })

  it('refuses two buses with one id', () => {
    const problems = busProblems(
      ['    - { id: rs485, type: rtu, port: /dev/ttyUSB0 }', '    - { id: rs485, type: rtu, port: /dev/ttyUSB1 }'].join(
        '\n',
      ),
    )
    expect(problems).toEqual({ 'modbus.buses[1].id': '"rs485" is already the id of modbus.buses[0]' })
  })

  it('takes port: simulated only where the demo simulator provides that serial line', () => {
    const bus = '    - { id: rs485, type: rtu, port: simulated }'
    expect(Object.keys(busProblems(bus))).toEqual(['modbus.buses[0].port'])
    expect(busProblems(bus)['modbus.buses[0].port']).toContain('demo.simulator.enabled')
    const demo = 'demo:\n  tokens: {}\n  simulator: { enabled: true, username: sim, password: x }\n'
    expect(busProblems(bus, demo)).toEqual({})
  })
})

describe('an https InfluxDB in the config', () => {
  it('refuses influx.ca on a plain http:// URL, where the CA would silently go unused', () => {
    const influx = (url: string) => `store: { id: s1 }\ninflux: { url: "${url}", ca: ca.crt }\n`
    expect(configProblems(influx('http://influx.local:8086'))).toEqual({
      'influx.url': 'must be https:// when influx.ca is given',
    })
    expect(configProblems(influx('https://influx.local:8086'))).toEqual({})
  })
})

describe('the embedded broker’s listeners', () => {
  const tls = 'tls: { cert: server.crt, key: server.key }'

  it('refuses broker.plain: false without broker.tls, which would leave no listener', () => {
    expect(configProblems('store: { id: s1 }\nbroker: { plain: false }')).toEqual({
      'broker.plain': 'may be false only with broker.tls: no listener is left',
    })
  })

  it('accepts mqtts only, and keeps the plain listener for the demo simulator', () => {
    expect(configProblems(`store: { id: s1 }\nbroker: { plain: false, ${tls} }`)).toEqual({})
    expect(
      configProblems(`store: { id: s1 }\nbroker: { plain: false, ${tls} }\ndemo: { simulator: { enabled: true } }`),
    ).toEqual({ 'broker.plain': 'must be true for demo.simulator, which connects over plain MQTT' })
  })

  it('resolves the certificate paths against the config file, as for the bridge', () => {
    const config = parseConfig(
      `store: { id: s1 }\nbroker: { ${tls} }\napi: { tls: { cert: /etc/ssl/api.crt, key: api.key, ca: ca.crt } }`,
      '/etc/storeguard/storeguard.yaml',
      {},
    )
    expect(config.broker.tls).toEqual({
      port: 8883,
      cert: '/etc/storeguard/server.crt',
      key: '/etc/storeguard/server.key',
    })
    expect(config.api.tls).toEqual({
      cert: '/etc/ssl/api.crt',
      key: '/etc/storeguard/api.key',
      ca: '/etc/storeguard/ca.crt',
    })
  })
})

describe('the fire outputs', () => {
  const devices = [
    'devices:',
    '  - { id: siren-1, type: siren, zone: hall }',
    '  - { id: strobe-1, type: strobe, zone: hall }',
    '  - { id: smoke-1, type: smoke, zone: hall }',
  ].join('\n')

  it('accepts sirens and strobes that are configured sirens and strobes', () => {
    const outputs = 'outputs: { fire: { sirens: [siren-1], strobes: [strobe-1] } }'
    expect(configProblems(`store: { id: s1 }\n${devices}\n${outputs}`)).toEqual({})
  })

  it('names a fire output that is not a configured device, or not a siren or strobe', () => {
    const outputs = 'outputs: { fire: { sirens: [siren-1, siren-9], strobes: [smoke-1] } }'
    expect(configProblems(`store: { id: s1 }\n${devices}\n${outputs}`)).toEqual({
      'outputs.fire.sirens[1]': '"siren-9" is not a configured device',
      'outputs.fire.strobes[0]': '"smoke-1" is a smoke; a fire output drives a siren or strobe',
    })
  })
})

describe('zone display names in the config', () => {
  const zones = (entries: string) =>
    configProblems(
      `store: { id: s1 }\nzones:\n${entries}\ndevices:\n  - { id: smoke-1, type: smoke, zone: hall }\n  - { id: leak-1, type: leak, zone: back }`,
    )

  it('loads names for some zones and leaves the others to their ids', () => {
    expect(zones('  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }')).toEqual({})
  })

  it('refuses a zone listed twice', () => {
    const problems = zones(
      [
        '  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }',
        '  - { id: hall, name: { zh-CN: 大厅, en: Hall } }',
      ].join('\n'),
    )
    expect(problems).toEqual({ 'zones[1].id': '"hall" is already listed at zones[0]' })
  })
})

describe('the demo observer login', () => {
  const HASH = 'scrypt$16384$8$1$c2FsdA==$aGFzaA=='
  const withClient = (client: string) =>
    configProblems(
      `store: { id: s1 }\nbroker:\n  clients:\n    - ${client}\ndemo:\n  observer: { username: observer, password: demo-observer }\n`,
    )

  it('loads with a broker client of that name that publishes nothing', () => {
    expect(withClient(`{ username: observer, passwordHash: '${HASH}', subscribe: [storeguard/s1/#] }`)).toEqual({})
  })

  it('refuses an observer that may publish: the banner prints it as read-only', () => {
    const problems = withClient(`{ username: observer, passwordHash: '${HASH}', publish: [storeguard/s1/#] }`)
    expect(problems['demo.observer.username']).toMatch(/read-only/)
  })

  it('refuses an observer no broker client answers to', () => {
    const problems = withClient(`{ username: someone, passwordHash: '${HASH}' }`)
    expect(problems['demo.observer.username']).toMatch(/broker\.clients/)
  })
})
