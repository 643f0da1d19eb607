import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

interface Mail {
  readonly from: string
  readonly to: readonly string[]
  readonly raw: string
}

/** An SMTP relay on 127.0.0.1 that takes every mail, with a login. */
async function startRelay(): Promise<{ port: number; mails: Mail[]; close: () => Promise<void> }> {
  const mails: Mail[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (auth, _session, done) =>
      auth.username === 'storeguard' && auth.password === 'relay-pass'
        ? done(null, { user: auth.username })
        : done(new Error('invalid login')),
    onData: (stream, session, done) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        done()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** The plain-text body of a single-part mail, base64 or not. */
function body(raw: string): string {
  const at = raw.search(/\r?\n\r?\n/)
  const head = raw.slice(0, at)
  const text = raw.slice(at).trim()
  return /content-transfer-encoding:\s*base64/i.test(head) ? Buffer.from(text, 'base64').toString('utf8') : text
}

/**
 * Channels (docs/requirements.md#channels) beyond webhooks, through the built gateway: a flood
 * alarm routed to a local buzzer (the test store's MQTT siren) pulses it
 * until acknowledged, and mails the facilities team through an SMTP relay;
 * a robbery alarm on a silent route mails security and sounds nothing.
 */
describe('sirens and e-mail as notification channels, end to end', () => {
  let relay: Awaited<ReturnType<typeof startRelay>>
  let store: StoreUnderTest

  beforeAll(async () => {
    relay = await startRelay()
    store = await startStoreUnderTest({
      extraYaml: `notifications:
  enabled: true
  groupWindowSec: 0
  channels:
    - id: facilities-mail
      kind: email
      url: smtp://storeguard:relay-pass@127.0.0.1:${relay.port}
      from: StoreGuard <alarm@store.test>
      to: [facilities@store.test]
    - id: security-mail
      kind: email
      url: smtp://storeguard:relay-pass@127.0.0.1:${relay.port}
      from: StoreGuard <alarm@store.test>
      to: [security@store.test]
  outputs:
    - { id: hall-buzzer, devices: [siren-1], pulseOnMs: 300, pulseOffMs: 300, until: ack }
  routes:
    - { kinds: [flood], channels: [facilities-mail, hall-buzzer] }
    - { kinds: [robbery], silent: true, channels: [security-mail] }
`,
    })
  })
  afterAll(async () => {
    await store?.stop()
    await relay?.close()
  })

  it('a flood alarm pulses the hall buzzer until acknowledged and mails facilities', async () => {
    await store.send('leak-entrance-1', { water_leak: true })
    const alarm = await store.alarmByKey('flood:entrance')
    const sirenCommands = () => store.outputs().filter((o) => o.startsWith('siren-1:'))
    // pulsing: on, off, on … on its own timer
    await eventually(async () => (sirenCommands().length >= 4 ? true : undefined), 15_000, 'the buzzer pulsing')
    expect(sirenCommands().slice(0, 4)).toEqual([
      'siren-1:{"on":true}',
      'siren-1:{"on":false}',
      'siren-1:{"on":true}',
      'siren-1:{"on":false}',
    ])

    const mail = await eventually(async () => relay.mails[0], 10_000, 'the flood mail')
    expect(mail.from).toBe('alarm@store.test')
    expect(mail.to).toEqual(['facilities@store.test'])
    expect(body(mail.raw)).toContain('Flood')
    expect(body(mail.raw)).toContain('entrance')

    expect((await store.post(`/api/alarms/${alarm.id}/ack`, SECRETS.staff)).status).toBe(200)
    // the ack switches it off: wait for that command however late it comes, then for a second with nothing
    // after it (a buzzer still pulsing would switch again within 300 ms)
    await eventually(
      async () => {
        const seen = sirenCommands().length
        if (sirenCommands().at(-1) !== 'siren-1:{"on":false}') return undefined
        await new Promise((r) => setTimeout(r, 1000))
        return sirenCommands().length === seen ? true : undefined
      },
      15_000,
      'the buzzer off, and quiet, after the ack',
    )
  })

  it('a robbery alarm mails security only and sounds nothing', async () => {
    const before = store.outputs().length
    await store.send('panic-counter-1', { pressed: true })
    const mail = await eventually(
      async () => relay.mails.find((m) => m.to.includes('security@store.test')),
      10_000,
      'the security mail',
    )
    expect(body(mail.raw)).toMatch(/CONFIDENTIAL/)
    await new Promise((r) => setTimeout(r, 1000))
    expect(store.outputs().slice(before)).toEqual([])
    expect(relay.mails.filter((m) => m.to.includes('facilities@store.test'))).toHaveLength(1)
  })
})
