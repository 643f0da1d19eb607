import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, launchChromium, openConsole, presence, UI_WAIT_MS } from './support/browser.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

const PHONE = { width: 390, height: 844 }

/**
 * docs/requirements.md#escalated-complaint, in Debian's Chromium: a clerk on a phone reports an
 * escalated complaint from the console, and it shows in the alarm list like any other alarm.
 */
describe('reporting an escalated complaint from the console on a phone', () => {
  let store: StoreUnderTest
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    store = await startStoreUnderTest({
      extraYaml: 'zones:\n  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }\n',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const page of pages) await page.close().catch(() => undefined)
    await browser?.close()
    await store?.stop()
  })

  async function phone(token: string): Promise<Page> {
    const page = await openConsole(browser, store.gateway.apiUrl, token, PHONE)
    pages.push(page)
    return page
  }

  it('a clerk ticks what is happening, picks the place and reports it; the alarm appears in the list', async () => {
    const page = await phone(SECRETS.staff)
    await page.getByTestId('lang-switch').click()
    await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached', timeout: UI_WAIT_MS })
    const open = page.getByTestId('complaint-open')
    await open.scrollIntoViewIfNeeded()
    await expect(open.textContent()).resolves.toBe('上报投诉激化')
    await open.click()

    // nothing ticked: the form says so and reports nothing
    await page.getByTestId('complaint-send').click()
    await page.getByTestId('complaint-status').getByText('请至少选择一种情况').waitFor({ timeout: UI_WAIT_MS })

    await page.getByTestId('complaint-group').check()
    await page.getByTestId('complaint-aggressive').check()
    await page.getByTestId('complaint-zone').selectOption({ label: '营业厅' })
    await page.getByTestId('complaint-note').fill('十余人，带头人穿红色外套')
    const send = page.getByTestId('complaint-send')
    const box = await send.boundingBox()
    // a thumb-sized target, inside the phone's width
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(40)
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width)
    await send.click()
    await page.getByTestId('complaint-status').getByText('已上报').waitFor({ timeout: UI_WAIT_MS })

    const card = page.locator('[data-testid="alarm"][data-kind="complaint_escalation"]')
    await card.waitFor({ timeout: UI_WAIT_MS })
    await expect(card.textContent()).resolves.toContain('营业厅')
    await page.screenshot({ path: join(ARTIFACTS, 'complaint-phone-zh.png'), fullPage: true })

    const alarm = await store.alarmByKey('complaint_escalation:hall')
    expect(alarm).toMatchObject({
      severity: 'major',
      silent: false,
      details: { group: true, aggressive: true, press: false, reportNote: '十余人，带头人穿红色外套' },
    })
    expect(alarm.checklist['zh-CN'].join()).toContain('110')
  })

  it('a viewer is not offered the form', async () => {
    const page = await phone(SECRETS.viewer)
    // the panels render with the first snapshot, which the live connection state waits for
    await page.getByTestId('ops-notices').waitFor({ state: 'visible', timeout: UI_WAIT_MS })
    expect(await presence(page, 'ops-complaint')).toEqual({ count: 1, visible: false })
  })
})
