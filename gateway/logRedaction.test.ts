// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are config-file ${ENV} references, not templates
import { describe, expect, it } from 'vitest'
import { parseConfig } from './config/loadConfig.js'
import { createTextRedactor, isSecretKey, redactUrls, secretValues } from './logRedaction.js'

describe('which settings and fields are secret', () => {
  it('names every secret-bearing key of the config, in any case or spelling', () => {
    for (const key of ['password', 'passwordHash', 'tokenHash', 'secret', 'tokens', 'Authorization', 'X-Api-Key']) {
      expect(isSecretKey(key), key).toBe(true)
    }
    for (const key of ['accessToken', 'access_token', 'apiKey', 'privateKey', 'passphrase', 'clientSecret']) {
      expect(isSecretKey(key), key).toBe(true)
    }
  })

  it('leaves alone the keys that only look alike', () => {
    for (const key of ['key', 'dedupKey', 'signal', 'url', 'username', 'id']) expect(isSecretKey(key), key).toBe(false)
  })
})

describe('secrets carried by URLs', () => {
  it('blanks robot tokens, relay passwords and hook paths, and keeps the rest of the URL readable', () => {
    expect(redactUrls('https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz%3D')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=[redacted]&timestamp=1&sign=[redacted]',
    )
    expect(redactUrls('POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1 failed')).toBe(
      'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=[redacted] failed',
    )
    expect(redactUrls('https://open.feishu.cn/open-apis/bot/v2/hook/0a1b-2c3d?x=1')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/[redacted]?x=1',
    )
    expect(redactUrls('smtps://alarm:p%40ss@mail.example:465')).toBe('smtps://alarm:[redacted]@mail.example:465')
    expect(redactUrls('http://127.0.0.1:8086/write?db=storeguard&u=sg&p=influx-pw')).toBe(
      'http://127.0.0.1:8086/write?db=storeguard&u=sg&p=[redacted]',
    )
  })

  it('leaves URLs without secrets as they are', () => {
    const plain = 'http://127.0.0.1:8080/api/alarms?state=open&limit=10 mqtt://127.0.0.1:1883'
    expect(redactUrls(plain)).toBe(plain)
  })
})

describe('the secret values of a loaded config', () => {
  const yaml = `store: { id: s1 }
broker: { mode: external, url: 'mqtt://gw:broker-url-pw@127.0.0.1:1883', password: '\${BROKER_PASSWORD}' }
notifications:
  channels:
    - { id: ding, kind: dingtalk, url: 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-1', secret: SECding-2 }
    - { id: fei, kind: feishu, url: 'https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-3' }
    - { id: hook, kind: webhook, url: 'http://127.0.0.1:9/in', headers: { Authorization: 'Bearer hdr-4' } }
`

  it('collects every secret, from the file and from the environment, and nothing else', () => {
    const config = parseConfig(yaml, 'store.yaml', { BROKER_PASSWORD: 'env-broker-5' })
    const secrets = secretValues(config)
    for (const s of ['broker-url-pw', 'env-broker-5', 'ding-token-1', 'SECding-2', 'feishu-hook-3', 'Bearer hdr-4']) {
      expect(secrets).toContain(s)
    }
    expect(secrets).not.toContain('s1')
    expect(secrets).not.toContain('ding')
  })

  it('are blanked in any text, as written and as JSON escapes them', () => {
    const redact = createTextRedactor(['plain-secret', 'a"quoted\\one'])
    expect(redact('x plain-secret y')).toBe('x [redacted] y')
    expect(redact(JSON.stringify({ msg: 'a"quoted\\one' }))).toBe('{"msg":"[redacted]"}')
  })
})

describe('config errors never print a secret', () => {
  const messageOf = (yaml: string, env: NodeJS.ProcessEnv = {}): string => {
    try {
      parseConfig(yaml, 'store.yaml', env)
    } catch (err) {
      return String((err as Error).message)
    }
    return expect.fail('expected the config to be rejected')
  }

  it('name the setting next to a secret without quoting the secret', () => {
    const message = messageOf(
      `store: { id: s1 }
notifications:
  channels:
    - id: ding
      kind: dingtalk
      url: 'https://oapi.dingtalk.com/robot/send?access_token=cfg-token-6'
      secret: '\${DING_SECRET}'
      format: html
      timeoutMs: 5
`,
      { DING_SECRET: 'SECcfg-7' },
    )
    expect(message).toContain('notifications.channels[0].format')
    expect(message).toContain('notifications.channels[0].timeoutMs')
    expect(message).not.toContain('cfg-token-6')
    expect(message).not.toContain('SECcfg-7')
  })

  it('reject a secret of the wrong shape without quoting it', () => {
    const message = messageOf(`store: { id: s1 }
broker: { password: { nested: broker-pw-8 } }
bridge: { url: 'ftp://central:bridge-pw-9@127.0.0.1', password: [bridge-pw-10] }
notifications:
  channels:
    - { id: x, kind: wecom, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-11', secret: '', extra: 1 }
`)
    expect(message).toContain('broker.password')
    expect(message).toContain('bridge.url')
    for (const s of ['broker-pw-8', 'bridge-pw-9', 'bridge-pw-10', 'wecom-11']) expect(message).not.toContain(s)
  })
})
