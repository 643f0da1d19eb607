import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SignageSnapshot } from '../gateway/http/consoleSnapshot.js'
import { eventually } from './support/api.js'
import { ARTIFACTS, launchChromium, UI_WAIT_MS } from './support/browser.js'
import { openSse } from './support/sse.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

/** The screens signage runs on (docs/requirements.md#notices): landscape hall screens and a portrait totem. */
const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x768', width: 1024, height: 768 },
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
] as const
type Size = (typeof SIZES)[number]

/** Short, so a rotation is a few seconds of the page's fake clock; set through the config as a store would. */
const ROTATE_SEC = 4
const TERMINALS = Array.from({ length: 8 }, (_, i) => `terminal-${i + 1}`)
/** Where the page's fake clock starts: the same date on every run. */
const T0 = Date.parse('2026-11-23T02:00:00Z')

interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

const inside = (inner: Box, outer: Box, slack = 1) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack

/**
 * Customer signage in Debian's Chromium at every screen size it runs on
 * (docs/requirements.md#notices): a fire fills the screen with calm evacuation
 * guidance until staff reset it; any number of notices is paged, never clipped;
 * a robbery changes not one pixel. The page's clock is Playwright's fake one,
 * so rotation is driven, not waited for. Screenshots go to test-artifacts/.
 */
describe('customer signage in a real browser', () => {
  let store: StoreUnderTest
  let browser: Browser
  const pages: Page[] = []

  /** A signage page on a paused fake clock, once its first snapshot is on screen. */
  async function signage(size: Size): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } })
    pages.push(page)
    await page.clock.install({ time: T0 })
    await pauseClock(page)
    await page.goto(`${store.gateway.apiUrl}/signage`)
    await page.locator('[data-testid="signage-store"]:text("Test store")').waitFor({ timeout: UI_WAIT_MS })
    return page
  }

  /**
   * Stops the page's fake clock, before any script of ours runs: its timers then fire only
   * when a test says so. The clock runs from `install` until here, however long that takes on
   * this machine, so pause a little ahead of wherever it has got to.
   */
  async function pauseClock(page: Page): Promise<void> {
    for (;;) {
      const now = await page.evaluate<number>('Date.now()')
      try {
        await page.clock.pauseAt(now + 1000)
        return
      } catch (err) {
        if (!/past/i.test(String(err))) throw err
      }
    }
  }

  const customerNotices = async () => (await store.get('/api/notices?audience=customer', SECRETS.manager)).notices

  /** Terminals 1..n faulty, the rest healthy, and the API agreeing: n repair notices for customers. */
  async function faultyTerminals(n: number): Promise<void> {
    for (const [i, id] of TERMINALS.entries())
      await store.send(id, i < n ? { status: 'fault', fault_codes: 'printer' } : { status: 'ok', fault_codes: '' })
    // each notice in its final words: it says when the terminal is back once its repair ticket is open
    await eventually(
      async () => {
        const notices = (await customerNotices()) as { texts: { en: string } }[]
        return notices.length === n && notices.every((x) => x.texts.en.includes('back in service by'))
          ? true
          : undefined
      },
      15_000,
      `${n} customer notices, each with its ticket's due time`,
    )
  }

  /** Waits until the page shows `n` notices (rendered and paged) and says how many pages they take. */
  async function pagedNotices(page: Page, n: number): Promise<number> {
    const list = page.getByTestId('signage-notices')
    await expect.poll(() => page.getByTestId('signage-notice').count(), { timeout: UI_WAIT_MS }).toBe(n)
    await expect.poll(() => list.getAttribute('data-pages'), { timeout: UI_WAIT_MS }).not.toBeNull()
    return Number(await list.getAttribute('data-pages'))
  }

  /** The visible notices' ids, after checking each lies inside the viewport and inside the list. */
  async function visibleNoticesInside(page: Page, size: Size): Promise<string[]> {
    const viewport = { x: 0, y: 0, width: size.width, height: size.height }
    const list = await page.getByTestId('signage-notices').boundingBox()
    expect(list && inside(list, viewport), `the notice list at ${size.name}`).toBe(true)
    const ids: string[] = []
    for (const notice of await page.getByTestId('signage-notice').all()) {
      if (!(await notice.isVisible())) continue
      const box = await notice.boundingBox()
      const id = (await notice.getAttribute('data-notice-id')) ?? ''
      expect(box && inside(box, viewport) && list && inside(box, list), `notice ${id} at ${size.name}`).toBe(true)
      ids.push(id)
    }
    for (const testId of ['signage-closing', 'signage-store']) {
      const box = await page.getByTestId(testId).boundingBox()
      expect(box && inside(box, viewport), `${testId} at ${size.name}`).toBe(true)
    }
    return ids
  }

  beforeAll(async () => {
    store = await startStoreUnderTest({
      // heard from only when a test sets their state: an hour's heartbeat, as terminal-1 has, so none
      // goes offline (a customer notice of its own) however long a loaded machine takes over the tests
      extraDevices: TERMINALS.slice(1)
        .map(
          (id, i) =>
            `  - { id: ${id}, type: terminal, zone: self-service, name: Terminal ${i + 2}, heartbeatSec: 3600 }\n`,
        )
        .join(''),
      extraYaml: `signage: { rotateSec: ${ROTATE_SEC} }\n`,
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined)
    await browser?.close()
    await store?.stop()
  })

  it('a fire fills every screen with calm evacuation guidance over the other notices; reset takes it away', async () => {
    await faultyTerminals(1)
    const screens = await Promise.all(SIZES.map((size) => signage(size)))
    for (const page of screens) await pagedNotices(page, 1)

    await store.send('smoke-hall-1', { smoke: true })
    for (const [i, size] of SIZES.entries()) {
      const page = screens[i] as Page
      const emergency = page.getByTestId('signage-emergency')
      await emergency.waitFor({ state: 'visible', timeout: UI_WAIT_MS })
      const box = await emergency.boundingBox()
      expect(box, size.name).toEqual({ x: 0, y: 0, width: size.width, height: size.height })
      const text = (await emergency.textContent()) ?? ''
      expect(text).toMatch(/请保持冷静.*有序离开/)
      expect(text).toMatch(/stay calm.*exit signs/i)
      // calm: no alarm words, no exclamation marks shouting at customers
      expect(text).not.toMatch(/火灾|火警|fire|alarm|!!|！！/i)
      // all of it on screen, the repair notice behind it out of sight
      for (const part of await emergency.locator('p, h1').all()) {
        const partBox = await part.boundingBox()
        expect(partBox && inside(partBox, { x: 0, y: 0, width: size.width, height: size.height })).toBe(true)
      }
      expect(await page.getByTestId('signage-notice').isVisible()).toBe(false)
      await page.screenshot({ path: join(ARTIFACTS, `signage-fire-${size.name}.png`) })
    }

    // the smoke is gone, but customers keep being guided out until staff reset the fire
    await store.send('smoke-hall-1', { smoke: false })
    const fire = await store.alarmOfKind('fire', (a) => a.conditionActive === false)
    expect(await screens[0]?.getByTestId('signage-emergency').isVisible()).toBe(true)
    const reset = await store.post(`/api/alarms/${fire.id}/reset`, SECRETS.staff, { note: 'drill' })
    expect(reset.status).toBe(200)
    for (const page of screens) {
      await page.getByTestId('signage-emergency').waitFor({ state: 'hidden', timeout: UI_WAIT_MS })
      await page.getByTestId('signage-notice').waitFor({ state: 'visible', timeout: UI_WAIT_MS })
    }
  })

  it('a critical flood, then a power cut, each fill the screen with their own guidance until their alarm closes', async () => {
    const size = SIZES[2]
    const page = await signage(size)
    const emergency = page.getByTestId('signage-emergency')
    const guidance = async (pattern: RegExp) => {
      await expect
        .poll(async () => (await emergency.isVisible()) && (await emergency.textContent()), { timeout: UI_WAIT_MS })
        .toMatch(pattern)
      expect(await emergency.boundingBox()).toEqual({ x: 0, y: 0, width: size.width, height: size.height })
    }
    /** Cleared by the rule, then acknowledged by staff: a non-latching alarm closes. */
    const closeWhenCleared = async (key: string) => {
      const alarm = await store.alarmByKey(key)
      await store.alarmsSatisfy((open) => open.some((a) => a.id === alarm.id && a.state === 'cleared_unacked'))
      expect((await store.post(`/api/alarms/${alarm.id}/ack`, SECRETS.staff)).json.alarm.state).toBe('closed')
    }

    await store.send('water-level-1', { level_cm: 5.2 })
    await guidance(/积水.*暂停开放.*closed because of water/s)
    await page.screenshot({ path: join(ARTIFACTS, `signage-flood-${size.name}.png`) })
    // the power cut comes second: keeping out of the water still matters more
    await store.send('ups-1', { mains_ok: false, on_battery: true })
    await store.alarmByKey('power_outage:ups-1')
    await guidance(/积水/)

    await store.send('water-level-1', { level_cm: 0.2 })
    await closeWhenCleared('flood:entrance')
    await guidance(/供电故障.*power failure/s)
    await page.screenshot({ path: join(ARTIFACTS, `signage-power-${size.name}.png`) })

    await store.send('ups-1', { mains_ok: true, on_battery: false })
    await closeWhenCleared('power_outage:ups-1')
    await emergency.waitFor({ state: 'hidden', timeout: UI_WAIT_MS })
  })

  for (const n of [1, 3, 8]) {
    it(`${n} notice(s): none lies outside the screen, and every one is shown within one rotation`, async () => {
      await faultyTerminals(n)
      for (const size of SIZES) {
        const page = await signage(size)
        const pageCount = await pagedNotices(page, n)
        expect(pageCount).toBeGreaterThanOrEqual(1)
        expect(pageCount).toBeLessThanOrEqual(n)
        await page.screenshot({ path: join(ARTIFACTS, `signage-${n}-notices-${size.name}.png`) })
        const seen = new Set<string>()
        for (let turn = 0; turn < pageCount; turn++) {
          const visible = await visibleNoticesInside(page, size)
          expect(visible.length, `page ${turn + 1} of ${pageCount} at ${size.name}`).toBeGreaterThan(0)
          for (const id of visible) seen.add(id)
          await page.clock.runFor(ROTATE_SEC * 1000)
        }
        expect(seen.size, size.name).toBe(n)
        // a full rotation is back on the first page
        expect(await page.getByTestId('signage-notices').getAttribute('data-page')).toBe('0')
        await page.close()
      }
    })
  }

  it('a robbery changes not one pixel of signage', async () => {
    await faultyTerminals(3)
    const screens = await Promise.all(SIZES.map((size) => signage(size)))
    for (const page of screens) await pagedNotices(page, 3)
    const shot = (page: Page) => page.screenshot({ animations: 'disabled', caret: 'hide' })
    const before = await Promise.all(screens.map(shot))
    // the same stream the pages read: a snapshot sent after a change was sent to every page alike
    const stream = (await openSse<SignageSnapshot>(`${store.gateway.apiUrl}/api/signage/stream`)).stream
    const streamed = await stream.until(() => true)
    /** Every page has been sent what the gateway had at this point: the next snapshot, pushed or periodic, is here. */
    const nextSnapshot = async () => {
      const seen = stream.snapshots.length
      await stream.until(() => stream.snapshots.length > seen, 15_000, 'the next signage snapshot')
      return stream.snapshots.at(-1)
    }
    const unchanged = async (when: string) => {
      expect(await nextSnapshot(), when).toEqual(streamed)
      for (const [i, page] of screens.entries())
        expect((await shot(page)).equals(before[i] as Buffer), `${when} at ${SIZES[i]?.name}`).toBe(true)
    }

    try {
      await store.send('panic-counter-1', { pressed: true })
      const robbery = await store.alarmOfKind('robbery')
      await unchanged('robbery raised')
      await store.send('panic-counter-1', { pressed: false })
      await store.alarmOfKind('robbery', (a) => a.id === robbery.id && a.conditionActive === false)
      const reset = await store.post(`/api/alarms/${robbery.id}/reset`, SECRETS.manager, { note: 'test' })
      expect(reset.status).toBe(200)
      await unchanged('robbery reset')
    } finally {
      stream.close()
    }
  })
})
