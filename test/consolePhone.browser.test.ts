import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, contrastRatio, launchChromium, openConsole, UI_WAIT_MS } from './support/browser.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

const PHONE = { width: 390, height: 844 }
const TABLET = { width: 1024, height: 768 }

/** Display names for three of the test store's zones; the others stay ids. A repair is due in seconds. */
const ZONES = `zones:
  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }
  - { id: backroom, name: { zh-CN: 后台机房, en: Back room } }
  - { id: self-service, name: { zh-CN: 自助服务区, en: Self-service area } }
tickets:
  targetBusinessDays: 0.00003
`

/**
 * The console on a phone and a small tablet (docs/requirements.md#console), in Debian's Chromium:
 * a fire's title, place and ack button are in the first screen; every alarm's buttons are reached
 * by the page's own scroll; 119 is a tap-to-call link; names, not ids; after an ack the card says
 * what reset waits for. Screenshots go to test-artifacts/.
 */
describe('the staff console on a phone and a tablet', () => {
  let store: StoreUnderTest
  let browser: Browser
  const pages: Page[] = []

  async function signedIn(viewport: { width: number; height: number }, lang: 'zh-CN' | 'en'): Promise<Page> {
    const page = await openConsole(browser, store.gateway.apiUrl, SECRETS.staff, viewport)
    pages.push(page)
    // the test store's locale is en; the switch names the language it switches to
    if (lang === 'zh-CN') {
      await page.getByTestId('lang-switch').click()
      await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached', timeout: UI_WAIT_MS })
    }
    return page
  }

  /** Whether `locator` lies wholly inside the viewport with the page scrolled to its top. */
  async function inFirstScreen(page: Page, locator: Locator): Promise<boolean> {
    await page.evaluate('window.scrollTo(0, 0)')
    const box = await locator.boundingBox()
    const size = page.viewportSize()
    if (!box || !size) return false
    return box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width
  }

  /** Elements between an alarm button and the page that scroll on their own (page scripts are strings: no DOM types here). */
  const innerScrollers = (page: Page) =>
    page.evaluate<string[]>(`(() => {
      const found = new Set()
      for (const button of document.querySelectorAll('[data-testid="alarm"] [data-action]'))
        for (let el = button.parentElement; el && el !== document.documentElement; el = el.parentElement) {
          const style = getComputedStyle(el)
          if (/(auto|scroll)/.test(style.overflowY + ' ' + style.overflowX)) found.add(el.className || el.tagName)
        }
      return [...found]
    })()`)

  /** For every alarm button: can the document's own scroll bring it wholly into view? */
  const reachableByPageScroll = (page: Page) =>
    page.evaluate<boolean[]>(`(() =>
      [...document.querySelectorAll('[data-testid="alarm"] [data-action]')].map((button) => {
        const top = button.getBoundingClientRect().top + window.scrollY
        window.scrollTo(0, top - window.innerHeight / 2)
        const rect = button.getBoundingClientRect()
        return rect.top >= 0 && rect.bottom <= window.innerHeight
      })
    )()`)

  const cards = (page: Page) => page.locator('[data-testid="alarm"]')

  beforeAll(async () => {
    // open round the clock: the overdue ticket's business clock must run at whatever hour the suite runs
    store = await startStoreUnderTest({ extraYaml: ZONES, openAllDay: true })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined)
    await browser?.close()
    await store?.stop()
  })

  it('a fire on a phone: title, zone name and ack in the first screen, 紧急, and 119 to tap', async () => {
    const page = await signedIn(PHONE, 'zh-CN')
    await store.send('smoke-hall-1', { smoke: true })
    const fire = cards(page).first()
    await fire.locator('[data-action="ack"]').waitFor({ timeout: UI_WAIT_MS })
    await page.getByTestId('fire-banner').waitFor({ state: 'visible', timeout: UI_WAIT_MS })
    expect(await fire.getAttribute('data-kind')).toBe('fire')
    expect(await inFirstScreen(page, fire.locator('.alarm-kind'))).toBe(true)
    expect(await inFirstScreen(page, fire.locator('.facts'))).toBe(true)
    expect(await inFirstScreen(page, fire.locator('[data-action="ack"]'))).toBe(true)
    expect(await fire.locator('.facts').textContent()).toContain('区域：营业厅')
    expect(await fire.locator('.sev-badge').textContent()).toBe('紧急')
    expect(await fire.locator('.checklist a[href="tel:119"]').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('fire-banner').textContent()).toContain('营业厅')
    await page.screenshot({ path: join(ARTIFACTS, 'console-phone-fire-zh.png') })
  })

  it('two alarms on a phone: the newest on top with its ack in view, every button reached by the page scroll', async () => {
    const page = await signedIn(PHONE, 'zh-CN')
    await cards(page).first().waitFor({ timeout: UI_WAIT_MS })
    await store.send('heat-back-1', { temperature: 95 })
    await expect.poll(() => cards(page).count(), { timeout: UI_WAIT_MS }).toBe(2)
    const newest = cards(page).first()
    await expect.poll(() => newest.locator('.facts').textContent(), { timeout: UI_WAIT_MS }).toContain('后台机房')
    expect(await inFirstScreen(page, newest.locator('.alarm-kind'))).toBe(true)
    expect(await inFirstScreen(page, newest.locator('[data-action="ack"]'))).toBe(true)
    expect(await innerScrollers(page)).toEqual([])
    expect(await reachableByPageScroll(page)).toEqual([true, true])
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)
    await page.evaluate('window.scrollTo(0, 0)')
    await page.screenshot({ path: join(ARTIFACTS, 'console-phone-two-alarms-zh.png'), fullPage: true })
  })

  it('the device line: 报警 for a detector in fire alarm, with its last reading and unit', async () => {
    const page = await signedIn(PHONE, 'zh-CN')
    const heat = page.locator('[data-testid="device"][data-device-id="heat-back-1"]')
    await expect.poll(() => heat.getAttribute('data-state'), { timeout: UI_WAIT_MS }).toBe('alarm')
    expect(await heat.locator('.dev-state').textContent()).toBe('报警')
    expect(await heat.getByTestId('reading').textContent()).toBe('温度：95 °C')
    expect(await heat.textContent()).toContain('后台机房')
    expect(await heat.textContent()).toContain('温感')
  })

  it('after the ack the card says what reset waits for, in either language', async () => {
    const page = await signedIn(PHONE, 'zh-CN')
    const inHall = cards(page).filter({ has: page.locator('.facts', { hasText: '营业厅' }) })
    // by id from here on: the zone's name changes with the language
    const smoke = page.locator(
      `[data-alarm-id="${await inHall.getAttribute('data-alarm-id', { timeout: UI_WAIT_MS })}"]`,
    )
    await smoke.locator('[data-action="ack"]').click({ timeout: UI_WAIT_MS })
    await expect.poll(() => smoke.getAttribute('data-state'), { timeout: UI_WAIT_MS }).toBe('active_acked')
    await expect
      .poll(() => smoke.getByTestId('reset-wait').textContent(), { timeout: UI_WAIT_MS })
      .toBe('复位前须等待：烟雾仍在')
    await page.getByTestId('lang-switch').click({ timeout: UI_WAIT_MS })
    await expect
      .poll(() => smoke.getByTestId('reset-wait').textContent(), { timeout: UI_WAIT_MS })
      .toBe('Reset waits until: smoke still present')
    await page.evaluate('window.scrollTo(0, 0)')
    await page.screenshot({ path: join(ARTIFACTS, 'console-phone-en.png'), fullPage: true, timeout: UI_WAIT_MS })
  })

  it('a tablet: the unacknowledged alarm in the first screen, no scroll pane, in Chinese and English', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await signedIn(TABLET, lang)
      await expect.poll(() => cards(page).count(), { timeout: UI_WAIT_MS }).toBe(2)
      // the smoke fire was acknowledged above: the heat fire, still unacknowledged, is on top
      const top = cards(page).first()
      expect(await top.getAttribute('data-state')).toBe('active_unacked')
      expect(await inFirstScreen(page, top.locator('.alarm-kind'))).toBe(true)
      expect(await inFirstScreen(page, top.locator('.facts'))).toBe(true)
      expect(await inFirstScreen(page, top.locator('[data-action="ack"]'))).toBe(true)
      expect(await top.locator('.facts').textContent()).toContain(lang === 'en' ? 'Back room' : '后台机房')
      expect(await innerScrollers(page)).toEqual([])
      expect((await reachableByPageScroll(page)).every(Boolean)).toBe(true)
      // nothing wider than the screen: no sideways scroll to reach a column
      expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)
      await page.evaluate('window.scrollTo(0, 0)')
      await page.screenshot({ path: join(ARTIFACTS, `console-tablet-${lang === 'en' ? 'en' : 'zh'}.png`) })
    }
  })

  it('one repair tickets panel: the overdue ticket in red, readable, with its zone by name and a countdown', async () => {
    await store.send('terminal-1', { status: 'fault', fault_codes: 'printer' })
    const page = await signedIn(PHONE, 'zh-CN')
    const ticket = page.locator('[data-testid="ops-ticket"]').first()
    await expect.poll(() => ticket.getAttribute('data-breached'), { timeout: UI_WAIT_MS }).toBe('true')
    const id = await ticket.getAttribute('data-ticket-id')
    // shown once: the read-only copy of the list is gone
    expect(await page.locator(`[data-ticket-id="${id}"]`).count()).toBe(1)
    expect(await page.getByTestId('ops-tickets').count()).toBe(1)
    expect(await page.getByTestId('ops-notices').count()).toBe(1)
    expect(await ticket.textContent()).toContain('自助服务区')
    expect(await ticket.textContent()).toContain('打印机')
    // the red tag says overdue, the countdown by how much
    expect(await ticket.locator('.overdue-tag').textContent()).toBe('已超时')
    expect(await ticket.locator('.overdue-tag').isVisible()).toBe(true)
    expect(await ticket.getByTestId('ops-ticket-countdown').textContent()).toMatch(/^[\d:\s天d]+$/)
    const colours = await page.evaluate<{ text: string; fg: string; bg: string }[]>(`(() => {
      const row = document.querySelector('[data-testid="ops-ticket"][data-ticket-id="${id}"]')
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor
          if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg
        }
        return 'rgb(255, 255, 255)'
      }
      return [row, ...row.querySelectorAll('*')]
        .filter((el) => (el.textContent ?? '').trim() !== '' && el.children.length === 0 && el.checkVisibility())
        .map((el) => ({ text: (el.textContent ?? '').slice(0, 30), fg: getComputedStyle(el).color, bg: background(el) }))
    })()`)
    expect(colours.length).toBeGreaterThan(3)
    expect(colours.filter((c) => contrastRatio(c.fg, c.bg) < 4.5)).toEqual([])
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)
    await page.getByTestId('ops-tickets').screenshot({ path: join(ARTIFACTS, 'console-phone-ticket-overdue-zh.png') })
  })
})
