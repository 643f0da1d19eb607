import { describe, expect, it } from 'vitest'
import { createLogger, createRateLimitedLog } from './log.js'

/** A real pino logger writing into an array, and a clock the test moves. */
function harness(intervalMs: number) {
  const lines: Record<string, unknown>[] = []
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) })
  let nowMs = 1_700_000_000_000
  const limited = createRateLimitedLog(log, intervalMs, () => nowMs)
  return {
    lines,
    limited,
    advance: (ms: number) => {
      nowMs += ms
    },
  }
}

describe('the rate-limited log (bad input is logged at a bounded rate)', () => {
  it('writes the first line for a key at once, as a warning with its data', () => {
    const h = harness(10_000)
    h.limited('malformed_json', { reason: 'malformed_json', topic: 't/1' }, 'device message rejected')
    expect(h.lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'device message rejected',
        reason: 'malformed_json',
        topic: 't/1',
        suppressed: 0,
      }),
    ])
  })

  it('drops further lines for that key within the interval, and says how many on the next one', () => {
    const h = harness(10_000)
    for (let i = 0; i < 50; i++) {
      h.limited('malformed_json', { n: i }, 'device message rejected')
      h.advance(100) // 50 × 100 ms: all inside one 10 s window
    }
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([[0, 0]])

    h.advance(10_000)
    h.limited('malformed_json', { n: 50 }, 'device message rejected')
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([
      [0, 0],
      [50, 49],
    ])
  })

  it('starts the count of suppressed lines afresh after each written line', () => {
    const h = harness(1_000)
    h.limited('k', { n: 1 }, 'm')
    h.limited('k', { n: 2 }, 'm')
    h.advance(1_000)
    h.limited('k', { n: 3 }, 'm')
    h.advance(1_000)
    h.limited('k', { n: 4 }, 'm')
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([
      [1, 0],
      [3, 1],
      [4, 0],
    ])
  })

  it('limits each key on its own: one noisy reason does not hide another', () => {
    const h = harness(10_000)
    for (let i = 0; i < 10; i++) h.limited('unknown_device', { reason: 'unknown_device' }, 'device message rejected')
    h.limited('wrong_type', { reason: 'wrong_type' }, 'device message rejected')
    expect(h.lines.map((l) => l.reason)).toEqual(['unknown_device', 'wrong_type'])
  })

  it('at a steady flood writes one line per interval, however many arrive', () => {
    const h = harness(10_000)
    // 1000 messages a second for a minute
    for (let ms = 0; ms < 60_000; ms++) {
      h.limited('flood', {}, 'device message rejected')
      h.advance(1)
    }
    expect(h.lines).toHaveLength(6)
    expect(h.lines.slice(1).every((l) => l.suppressed === 9_999)).toBe(true)
  })
})

/** A real pino logger at trace level writing raw lines into an array. */
function rawLines(secrets: readonly string[] = []) {
  const lines: string[] = []
  const log = createLogger('trace', { write: (line: string) => void lines.push(line) }, secrets)
  return { log, text: () => lines.join(''), parsed: () => lines.map((l) => JSON.parse(l)) }
}

describe('secrets in the log: never printed', () => {
  it('blanks secret-bearing fields at any depth, inside arrays and child bindings too', () => {
    const { log, text, parsed } = rawLines()
    const channels = [
      { id: 'ding', kind: 'dingtalk', secret: 'SECdeep-signing-1', headers: { Authorization: 'Bearer hdr-tok-2' } },
      { id: 'hook', kind: 'webhook', secret: 'hmac-key-3', headers: { 'X-Api-Key': 'api-key-4' } },
    ]
    log.child({ mod: 'x', credentials: { accessToken: 'child-tok-5' } }).debug(
      {
        config: { notifications: { channels } },
        broker: { password: 'broker-pw-6' },
        demo: { tokens: { viewer: 'v-7' } },
      },
      'config loaded',
    )
    for (const secret of ['SECdeep', 'hdr-tok', 'hmac-key', 'api-key-4', 'child-tok', 'broker-pw', 'v-7']) {
      expect(text()).not.toContain(secret)
    }
    const [line] = parsed()
    expect(line.config.notifications.channels[0]).toMatchObject({ id: 'ding', secret: '[redacted]' })
    expect(line.config.notifications.channels[1].headers).toEqual({ 'X-Api-Key': '[redacted]' })
    expect(line.broker.password).toBe('[redacted]')
  })

  it('keeps ordinary fields that merely look alike: alarm keys, signals, dedup keys', () => {
    const { log, parsed } = rawLines()
    log.info({ key: 'fire:hall', signal: 'SIGTERM', dedupKey: 'a1:raised', tokenCount: undefined }, 'stopping')
    expect(parsed()[0]).toMatchObject({ key: 'fire:hall', signal: 'SIGTERM', dedupKey: 'a1:raised' })
  })

  it('blanks the token a robot URL carries, in fields, messages and error stacks', () => {
    const { log, text, parsed } = rawLines()
    const err = new Error('POST https://oapi.dingtalk.com/robot/send?access_token=ding-tok-8&timestamp=1 failed', {
      cause: new Error('at https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-9'),
    })
    log.error({ err, url: 'https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-10' }, 'delivery failed')
    log.warn(`relay smtp://alarm:relay-pw-11@127.0.0.1:587 refused`)
    for (const secret of ['ding-tok-8', 'wecom-key-9', 'feishu-hook-10', 'relay-pw-11'])
      expect(text()).not.toContain(secret)
    const [failed, refused] = parsed()
    expect(failed.err.message).toContain('access_token=[redacted]&timestamp=1')
    expect(failed.url).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/[redacted]')
    expect(refused.msg).toBe('relay smtp://alarm:[redacted]@127.0.0.1:587 refused')
  })

  it("blanks the config's own secret values wherever they turn up, e.g. quoted back by a vendor", () => {
    const { log, text } = rawLines(['vendor-echoed-secret-12', 'with "quotes" 13'])
    log.warn({ reply: 'bad signature for vendor-echoed-secret-12' }, 'sms refused: with "quotes" 13')
    expect(text()).not.toContain('vendor-echoed-secret-12')
    expect(text()).not.toContain('quotes')
    expect(text()).toContain('[redacted]')
  })

  it('still logs an error with its type, message and stack', () => {
    const { log, parsed } = rawLines()
    log.error({ err: new TypeError('boom') }, 'failed')
    expect(parsed()[0].err).toMatchObject({ type: 'TypeError', message: 'boom' })
    expect(parsed()[0].err.stack).toContain('TypeError: boom')
  })
})
