import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS } from './support/testStore.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'gateway', 'cli.js')

function storeguard(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** docs/requirements.md#store-texts: the operator's hotline and the store's own wording reach every text. */
describe('a China Unicom store', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest({
      operator: 'unicom',
      extraYaml: [
        'texts:',
        '  system.customerNotice:',
        "    en: 'Our systems are down. Call {hotline} or come back later. Thank you for your patience.'",
        '',
      ].join('\n'),
    })
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('tells customers and staff to call 10010 during a power cut, and nothing it says names 10086', async () => {
    await store.send('ups-1', { mains_ok: false, on_battery: true })
    const alarm = await store.alarmByKey('power_outage:ups-1')
    expect(alarm.checklist['zh-CN'][2]).toBe('通知 10010 热线，同时发短信通知主管经理')
    expect(alarm.checklist.en[4]).toBe('When power is back, tell the 10010 hotline and the store manager')
    const notice = await store.noticeByKey('power_outage:ups-1', 'customer')
    expect(notice.texts['zh-CN']).toContain('您可以通过 10010 热线')
    expect(notice.text).toContain('You can use the 10010 hotline')

    const notices = await store.get('/api/notices', SECRETS.manager)
    const alarms = await store.get('/api/alarms', SECRETS.manager)
    const published = store.recorded.map((r) => r.payload).join('\n')
    expect(JSON.stringify(notices)).toContain('10010')
    for (const said of [JSON.stringify(notices), JSON.stringify(alarms), published]) expect(said).not.toContain('10086')
  })

  it("puts the store's own wording on the signage, with its hotline filled in", async () => {
    await store.send('business-system', { up: false })
    const notice = await store.noticeByKey('system_fault:business-system', 'customer')
    expect(notice.texts.en).toBe('Our systems are down. Call 10010 or come back later. Thank you for your patience.')
    // the language it does not override keeps the shipped wording
    expect(notice.texts['zh-CN']).toMatch(/^系统故障，我们正在紧急处理/)
    const published = await eventually(
      async () => store.recorded.find((r) => r.topic.endsWith(`/notices/${notice.id}`))?.payload,
      15_000,
      'the retained notice',
    )
    expect(JSON.parse(published).texts.en).toBe(notice.texts.en)
  })
})

describe('storeguard validate on a store text override', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('refuses an override with a placeholder its template does not fill, naming the file, line and path', () => {
    const file = join(dir.path, 'texts.yaml')
    writeFileSync(
      file,
      [
        'store:',
        '  id: s1',
        '  operator: unicom',
        'texts:',
        '  power.customerNotice:',
        "    zh-CN: '停电了，请拨打 {hotline}'",
        "    en: 'Power cut: call {hotlin}'",
        '',
      ].join('\n'),
    )
    const r = storeguard('validate', '--config', file)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      `${file}:7: texts.power.customerNotice.en uses {hotlin}, which power.customerNotice does not fill; it takes {hotline}, {nearbyStore}, {recovery}`,
    )
    expect(r.stdout).not.toContain('valid')
  })

  it('refuses an unknown template id, naming the file and line', () => {
    const file = join(dir.path, 'unknown.yaml')
    writeFileSync(file, ['store:', '  id: s1', 'texts:', '  power.notice:', "    en: 'Power cut'", ''].join('\n'))
    const r = storeguard('validate', '--config', file)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(`${file.replaceAll('/', '\\/')}:\\d+: texts\\.power\\.notice is not a text template`),
    )
  })

  it('accepts a valid override and a hotline number', () => {
    const file = join(dir.path, 'valid.yaml')
    writeFileSync(
      file,
      [
        'store:',
        '  id: s1',
        "  operator: '95555'",
        'texts:',
        '  power.customerNotice:',
        "    en: 'Call {hotline}'",
        '',
      ].join('\n'),
    )
    const r = storeguard('validate', file)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
