import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'

/** Debian's Chromium (`apt-get install chromium`), never a downloaded one: the machines here have no internet. */
export const CHROMIUM = process.env.STOREGUARD_CHROMIUM ?? '/usr/bin/chromium'

/**
 * How long a browser test waits for the page to show something. Only a bound on a failure: the
 * waits end as soon as the page shows it, and a shared 2-core machine under load may take seconds.
 */
export const UI_WAIT_MS = 15_000

/** Where screenshots go: a test artifact, ignored by git. */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts')

/**
 * Headless Chromium as root in a sandbox-less CI: `--no-sandbox`, and no
 * background networking, which this machine's closed network would refuse
 * many times a start.
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // the alarm tone must be allowed to start once the user has interacted (the sign-in click)
      '--autoplay-policy=user-gesture-required',
    ],
  })
}

/** WCAG 2.x contrast ratio of two `rgb(r, g, b)` / `rgba(…)` colours. */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
    const channel = (v: number) => {
      const c = v / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  }
  const [hi, lo] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** A new page of `browser` at `viewport`, signed in to the console at `baseUrl` with `token`, once its stream is live. */
export async function openConsole(
  browser: Browser,
  baseUrl: string,
  token: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await browser.newPage({ viewport })
  await page.goto(`${baseUrl}/`)
  await page.getByTestId('token-input').fill(token)
  await page.getByTestId('signin-form').getByRole('button').first().click()
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 5000 })
  return page
}

/**
 * How often the page has the element and whether it is shown. A role's hidden form is asserted as
 * `{ count: 1, visible: false }`: present, so a renamed test id fails instead of passing as "not shown".
 */
export async function presence(page: Page, testId: string): Promise<{ count: number; visible: boolean }> {
  const element = page.getByTestId(testId)
  return { count: await element.count(), visible: await element.isVisible() }
}
