import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { ARTIFACTS, launchChromium, openConsole, presence, UI_WAIT_MS } from './support/browser.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

const TABLET = { width: 1280, height: 800 }
/** Tall enough that a panel's screenshot is not cut by the column's own scrolling. */
const TALL = { width: 1280, height: 1800 }

/**
 * The console's work panels in Debian's Chromium (docs/requirements.md#console): maintenance moves a
 * repair ticket through ack, start and resolve with a note while staff see the
 * same list without buttons; staff post a customer notice that signage shows
 * and withdraw it; the closed-alarm history lists and filters. Every wait is
 * for what the page shows, never for a duration. Screenshots go to test-artifacts/.
 */
describe('ticket commands, notices and the alarm history in a real browser', () => {
  let store: StoreUnderTest
  let browser: Browser
  const pages: Page[] = []

  async function console(token: string, viewport = TABLET): Promise<Page> {
    const page = await openConsole(browser, store.gateway.apiUrl, token, viewport)
    pages.push(page)
    return page
  }

  beforeAll(async () => {
    store = await startStoreUnderTest()
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined)
    await browser?.close()
    await store?.stop()
  })

  it('maintenance acknowledges, starts and resolves a ticket with a note; staff see it without buttons', async () => {
    await store.send('terminal-1', { status: 'fault', fault_codes: 'printer' })
    const ticket = await eventually(
      async () =>
        (await store.get('/api/tickets')).tickets.find((t: { deviceId: string }) => t.deviceId === 'terminal-1'),
      15_000,
      'a repair ticket for terminal-1',
    )
    const staff = await console(SECRETS.staff)
    const maintenance = await console(SECRETS.maintenance)
    const row = (page: Page) => page.locator(`[data-testid="ops-ticket"][data-ticket-id="${ticket.id}"]`)

    await row(staff).waitFor({ timeout: UI_WAIT_MS })
    expect(await staff.locator('[data-testid="ops-ticket-list"] button').count()).toBe(0)
    expect(await staff.getByTestId('ops-ticket-note').count()).toBe(0)

    await row(maintenance).waitFor({ timeout: UI_WAIT_MS })
    await maintenance.getByTestId('ops-tickets').screenshot({ path: join(ARTIFACTS, 'ops-tickets-tablet.png') })
    await row(maintenance).getByTestId('ops-ticket-ack').click()
    await expect.poll(() => row(maintenance).getAttribute('data-status'), { timeout: UI_WAIT_MS }).toBe('acknowledged')
    // the other console follows too: every tablet shows the same truth
    await expect.poll(() => row(staff).getAttribute('data-status'), { timeout: UI_WAIT_MS }).toBe('acknowledged')

    await row(maintenance).getByTestId('ops-ticket-note').fill('on my way')
    await row(maintenance).getByTestId('ops-ticket-start').click()
    await expect.poll(() => row(maintenance).getAttribute('data-status'), { timeout: UI_WAIT_MS }).toBe('in_progress')
    expect(await row(maintenance).textContent()).toContain('max')

    await row(maintenance).getByTestId('ops-ticket-note').fill('replaced the printer')
    await row(maintenance).getByTestId('ops-ticket-resolve').click()
    await expect.poll(() => row(maintenance).count(), { timeout: UI_WAIT_MS }).toBe(0)
    await expect.poll(() => row(staff).count(), { timeout: UI_WAIT_MS }).toBe(0)

    const done = (await store.get(`/api/tickets/${ticket.id}`)).ticket
    expect(done).toMatchObject({ status: 'resolved', resolvedBy: 'max', assignee: 'max' })
    expect(done.history.filter((e: { by: string }) => e.by === 'max')).toEqual([
      expect.objectContaining({ action: 'acked', note: null }),
      expect.objectContaining({ action: 'started', note: 'on my way' }),
      expect.objectContaining({ action: 'resolved', note: 'replaced the printer' }),
    ])
  })

  it('staff open a repair ticket by hand for a broken chair; it joins the list, and a viewer has no form', async () => {
    const staff = await console(SECRETS.staff, TALL)
    await staff.getByTestId('ops-ticket-compose').locator('summary').click()
    const form = staff.getByTestId('ops-ticket-form')
    await form.getByTestId('ops-ticket-open').click()
    // both fields are needed: the form says so before asking the gateway
    await expect
      .poll(() => form.getByTestId('ops-ticket-open-status').textContent(), { timeout: UI_WAIT_MS })
      .toContain('Name the facility')
    await form.getByTestId('ops-ticket-facility').fill('Chair at counter 2')
    await form.getByTestId('ops-ticket-zone').selectOption('hall')
    await form.getByTestId('ops-ticket-description').fill('A leg is cracked; taken out of use')
    await form.getByTestId('ops-ticket-open').click()

    const row = staff.locator('[data-testid="ops-ticket"]', { hasText: 'Chair at counter 2' })
    await row.waitFor({ timeout: UI_WAIT_MS })
    expect(await row.textContent()).toContain('A leg is cracked')
    const opened = (await store.get('/api/tickets')).tickets.find(
      (t: { facility: string | null }) => t.facility === 'Chair at counter 2',
    )
    expect(opened).toMatchObject({ deviceId: null, zone: 'hall', source: 'staff', status: 'open' })
    expect(opened.history[0]).toMatchObject({ action: 'opened', by: expect.any(String) })

    const viewer = await console(SECRETS.viewer)
    await viewer
      .locator('[data-testid="ops-ticket"]', { hasText: 'Chair at counter 2' })
      .waitFor({ timeout: UI_WAIT_MS })
    expect(await presence(viewer, 'ops-ticket-compose')).toEqual({ count: 1, visible: false })
  })

  it('staff post a customer notice that signage shows at once, and withdraw it; a viewer cannot post', async () => {
    const signage = await browser.newPage({ viewport: TABLET })
    pages.push(signage)
    await signage.goto(`${store.gateway.apiUrl}/signage`)
    const staff = await console(SECRETS.staff, TALL)
    await staff.getByTestId('ops-notice-compose').locator('summary').click()
    const form = staff.getByTestId('ops-notice-form')
    await form.getByTestId('ops-notice-audience').selectOption('customer')
    await form.getByTestId('ops-notice-target').selectOption('zone:hall')
    await form.getByTestId('ops-notice-zh').fill('今晚 22:00 起大厅地面维修')
    await form.getByTestId('ops-notice-en').fill('Floor repairs in the hall from 22:00 tonight')
    await form.getByTestId('ops-notice-post').click()

    const posted = staff.locator('[data-testid="ops-notice"]', { hasText: 'Floor repairs' })
    await posted.waitFor({ timeout: UI_WAIT_MS })
    // in the signage's notices at once; which page it is shown on is the signage test's concern
    const onSignage = signage.getByTestId('signage-notice').filter({ hasText: '地面维修' })
    await onSignage.waitFor({ state: 'attached', timeout: UI_WAIT_MS })
    await staff.getByTestId('ops-notices').screenshot({ path: join(ARTIFACTS, 'ops-notices-tablet.png') })

    const viewer = await console(SECRETS.viewer)
    await viewer.locator('[data-testid="ops-notice"]', { hasText: 'Floor repairs' }).waitFor({ timeout: UI_WAIT_MS })
    expect(await presence(viewer, 'ops-notice-compose')).toEqual({ count: 1, visible: false })
    expect(await viewer.getByTestId('ops-notice-withdraw').count()).toBe(0)

    await posted.getByTestId('ops-notice-withdraw').click()
    await expect.poll(() => posted.count(), { timeout: UI_WAIT_MS }).toBe(0)
    await expect.poll(() => onSignage.count(), { timeout: UI_WAIT_MS }).toBe(0)
  })

  it('staff schedule planned work for tomorrow: listed as planned, up nowhere yet, and withdrawn before it starts', async () => {
    const staff = await console(SECRETS.staff)
    await staff.getByTestId('ops-notice-compose').locator('summary').click()
    const form = staff.getByTestId('ops-notice-form')
    await form.getByTestId('ops-notice-target').selectOption('zone:entrance')
    await form.getByTestId('ops-notice-en').fill('Entrance door repair tomorrow morning')
    // datetime-local takes the tablet's own time: tomorrow, whatever zone the browser runs in
    const tomorrow = await staff.evaluate<string>(`(() => {
      const d = new Date(Date.now() + 86400000)
      const p = (n) => String(n).padStart(2, '0')
      return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T09:00'
    })()`)
    await form.getByTestId('ops-notice-starts').fill(tomorrow)
    await form.getByTestId('ops-notice-post').click()

    const planned = staff.locator('[data-testid="ops-notice"][data-state="scheduled"]', { hasText: 'Entrance door' })
    await planned.waitFor({ timeout: UI_WAIT_MS })
    // up nowhere yet: not among the notices signage is fed from, not on MQTT
    const up = (await store.get('/api/notices')).notices as { texts: { en: string } }[]
    expect(up.filter((n) => n.texts.en.includes('Entrance door'))).toEqual([])
    expect(store.recorded.some((r) => r.payload.includes('Entrance door'))).toBe(false)

    await planned.getByTestId('ops-notice-withdraw').click()
    await expect.poll(() => planned.count(), { timeout: UI_WAIT_MS }).toBe(0)
    expect((await store.get('/api/notices?state=scheduled', SECRETS.staff)).notices).toEqual([])
  })

  it('shows closed alarms in the history, filtered by kind and day', async () => {
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await store.alarmByKey('flood:entrance')
    await store.send('leak-entrance-1', { water_leak: false })
    await eventually(
      async () => ((await store.alarmByKey('flood:entrance')).state === 'cleared_unacked' ? true : undefined),
      15_000,
      'flood cleared',
    )
    const closed = (await store.post(`/api/alarms/${flood.id}/ack`, SECRETS.staff, {})).json.alarm
    expect(closed.state).toBe('closed')

    const page = await console(SECRETS.staff, TALL)
    const history = page.getByTestId('ops-history')
    const row = history.locator(`[data-testid="ops-history-alarm"][data-alarm-id="${flood.id}"]`)
    await history.getByTestId('ops-history-show').click()
    await row.waitFor({ timeout: UI_WAIT_MS })

    await history.getByTestId('ops-history-kind').selectOption('fire')
    await history.getByTestId('ops-history-show').click()
    await expect.poll(() => row.count(), { timeout: UI_WAIT_MS }).toBe(0)

    await history.getByTestId('ops-history-kind').selectOption('flood')
    // the day it closed, in the store's time zone (Asia/Shanghai in the test store)
    const day = new Date(Date.parse(closed.updatedAt) + 8 * 3600_000).toISOString().slice(0, 10)
    await history.getByTestId('ops-history-date').fill(day)
    await history.getByTestId('ops-history-show').click()
    await row.waitFor({ timeout: UI_WAIT_MS })
    await history.screenshot({ path: join(ARTIFACTS, 'ops-history-tablet.png') })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('[data-ops]').screenshot({ path: join(ARTIFACTS, 'ops-panels-phone.png') })
    // staff are never offered the silent kind as a filter
    expect(await history.getByTestId('ops-history-kind').textContent()).not.toMatch(/robbery|抢劫/i)
  })
})
