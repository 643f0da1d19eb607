import { describe, expect, it } from 'vitest'
import { parseConfig } from './loadConfig.js'
import { isLoopback, securityWarnings } from './securityWarnings.js'

/** The warnings for a config given as YAML after `store:`, defaults filled in as at load. */
const warningsFor = (yaml: string) =>
  securityWarnings(parseConfig(`store: { id: s1 }\n${yaml}`, '/etc/storeguard/storeguard.yaml', {}))
const paths = (yaml: string) => warningsFor(yaml).map((w) => w.path)

describe('securityWarnings', () => {
  it('says nothing for the defaults: everything on loopback', () => {
    expect(warningsFor('')).toEqual([])
  })

  it('warns of a bridge password over mqtt:// to another host, not over mqtts:// or to loopback', () => {
    const [warning] = warningsFor('bridge: { url: "mqtt://central.example:1883", password: pw }')
    expect(warning?.path).toBe('bridge.password')
    expect(warning?.message).toContain('central.example')
    expect(warning?.message).not.toContain('pw')
    expect(paths('bridge: { url: "mqtts://central.example:8883", password: pw }')).toEqual([])
    expect(paths('bridge: { url: "mqtt://127.0.0.1:1883", password: pw }')).toEqual([])
    expect(paths('bridge: { url: "mqtt://central.example:1883" }')).toEqual([])
    expect(paths('bridge: { url: "mqtt://u:pw@central.example:1883" }')).toEqual(['bridge.url'])
    expect(paths('bridge: { enabled: false, url: "mqtt://central.example", password: pw }')).toEqual([])
  })

  it('warns of certificate checks turned off on the bridge and for InfluxDB', () => {
    expect(paths('bridge: { url: "mqtts://central.example", tls: { rejectUnauthorized: false } }')).toEqual([
      'bridge.tls.rejectUnauthorized',
    ])
    expect(paths('influx: { enabled: true, url: "https://influx.example", rejectUnauthorized: false }')).toEqual([
      'influx.rejectUnauthorized',
    ])
  })

  it('warns of an external broker or InfluxDB password sent in clear', () => {
    expect(paths('broker: { mode: external, url: "mqtt://broker.lan:1883", username: gw, password: pw }')).toEqual([
      'broker.password',
    ])
    expect(paths('broker: { mode: external, url: "mqtt://localhost:1883", username: gw, password: pw }')).toEqual([])
    expect(paths('influx: { enabled: true, url: "http://10.0.0.5:8086", password: pw }')).toEqual(['influx.password'])
    expect(paths('influx: { enabled: true, url: "https://10.0.0.5:8086", password: pw }')).toEqual([])
    // a disabled sink sends nothing
    expect(paths('influx: { url: "http://10.0.0.5:8086", password: pw }')).toEqual([])
  })

  it('warns of notification channels whose URL, header or login would go in clear', () => {
    const channels = (list: string) => paths(`notifications:\n  enabled: true\n  channels:\n${list}\n  routes: []`)
    expect(
      channels(
        [
          '    - { id: robot, kind: wecom, url: "http://qyapi.example/cgi-bin/webhook/send?key=abc" }',
          '    - { id: hook, kind: webhook, url: "http://hooks.example/in", headers: { Authorization: "Bearer x" } }',
          '    - { id: sms, kind: sms, url: "http://sms.example/send?apikey=k&to={{phone}}", to: ["1"] }',
          '    - { id: mail, kind: email, url: "smtp://u:pw@relay.example:587", to: [a@b.example], from: a@b.example }',
        ].join('\n'),
      ),
    ).toEqual([
      'notifications.channels[0].url',
      'notifications.channels[1].url',
      'notifications.channels[2].url',
      'notifications.channels[3].url',
    ])
    expect(
      channels(
        [
          '    - { id: robot, kind: dingtalk, url: "https://oapi.example/robot/send?access_token=abc" }',
          '    - { id: hook, kind: webhook, url: "http://hooks.example/in" }',
          '    - { id: local, kind: webhook, url: "http://127.0.0.1:9000/in", headers: { X-Api-Key: k } }',
          '    - { id: mail, kind: email, url: "smtp://u:pw@relay.example:587", requireTls: true, to: [a@b.example], from: a@b.example }',
          '    - { id: mails, kind: email, url: "smtps://u:pw@relay.example:465", to: [a@b.example], from: a@b.example }',
        ].join('\n'),
      ),
    ).toEqual([])
  })

  it('warns of an API listening beyond loopback without TLS', () => {
    expect(paths('api: { host: 0.0.0.0 }')).toEqual(['api.tls'])
    expect(paths('api: { host: "::1" }')).toEqual([])
  })
})

describe('isLoopback', () => {
  it('knows this machine by name and address', () => {
    for (const host of ['localhost', 'LOCALHOST', 'gw.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(isLoopback(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'central.example', '128.0.0.1', 'localhost.example'])
      expect(isLoopback(host), host).toBe(false)
  })
})
