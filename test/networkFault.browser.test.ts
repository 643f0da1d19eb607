import type { MqttClient } from 'mqtt'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { launchChromium, openConsole, presence, UI_WAIT_MS } from './support/browser.js'
import { type CentralBroker, centralPassword, startCentralBroker } from './support/centralBroker.js'
import { type CentralRecording, recordCentral } from './support/centralRecorder.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE } from './support/testStore.js'

const TABLET = { width: 1280, height: 1800 }

/**
 * docs/requirements.md#network-fault: staff who see many customers with the same problem report it
 * from the console, in Debian's Chromium, and the report reaches the centre's broker. Every wait is
 * for what the page or the centre shows, never for a duration.
 */
describe('the network fault report in the console', () => {
  const dir = tempDir()
  let central: CentralBroker
  let centre: MqttClient
  let seen: CentralRecording
  let store: StoreUnderTest
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    central = await startCentralBroker(dir.path, [STORE, 'central'])
    centre = await central.connect('central')
    seen = recordCentral(centre)
    await centre.subscribeAsync(`${PREFIX}/events`, { qos: 1 })
    store = await startStoreUnderTest({
      extraYaml: `\nbridge:\n  url: ${central.url}\n  password: ${centralPassword(STORE)}\n  reconnect: { baseMs: 200, capMs: 2000 }\n`,
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined)
    await browser?.close()
    await store?.stop()
    await central?.close()
    dir.remove()
  })

  it('staff send symptoms, area, count and numbers to the centre; a viewer has no form', async () => {
    const viewer = await openConsole(browser, store.gateway.apiUrl, SECRETS.viewer, TABLET)
    pages.push(viewer)
    await viewer.getByTestId('ops-notices').waitFor({ timeout: UI_WAIT_MS })
    expect(await presence(viewer, 'ops-network')).toEqual({ count: 1, visible: false })

    const staff = await openConsole(browser, store.gateway.apiUrl, SECRETS.staff, TABLET)
    pages.push(staff)
    await staff.getByTestId('ops-network-compose').locator('summary').click()
    const form = staff.getByTestId('ops-network-form')
    // nothing filled in: the form says what it needs and sends nothing
    await form.getByTestId('ops-network-send').click()
    await expect
      .poll(() => form.getByTestId('ops-network-status').textContent(), { timeout: UI_WAIT_MS })
      .toMatch(/Fill in/)

    await form.getByTestId('ops-network-symptoms').fill('Signal bars but no calls; no 4G data')
    await form.getByTestId('ops-network-area').fill('Renmin Road to Jiefang Road')
    await form.getByTestId('ops-network-customers').fill('7')
    await form.getByTestId('ops-network-numbers').fill('13800138000\n13900139000')
    await form.getByTestId('ops-network-send').click()
    await expect
      .poll(() => form.getByTestId('ops-network-status').textContent(), { timeout: UI_WAIT_MS })
      .toMatch(/on its way to the centre/)

    const report = await eventually(
      async () => seen.events(STORE, 'network_fault_report')[0],
      15_000,
      'the report at the centre',
    )
    expect(report).toMatchObject({
      by: 'stan',
      report: {
        symptoms: 'Signal bars but no calls; no 4G data',
        area: 'Renmin Road to Jiefang Road',
        customers: 7,
        numbers: ['13800138000', '13900139000'],
        phoneModels: null,
      },
    })
    expect(seen.events(STORE, 'network_fault_report')).toHaveLength(1)
  })
})
