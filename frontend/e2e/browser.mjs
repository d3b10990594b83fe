// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), the server's address and the demo
// password from the environment, and a screenshot after every test.

import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.ZHENGWU_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '')
export const DEMO_PASSWORD = process.env.ZHENGWU_DEMO_PASSWORD ?? ''

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts')

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The network here is closed: without these Chromium keeps trying to reach Google.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** "Staff logs in & out" → "staff-logs-in-out". */
function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'test'
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${slug(name)}.png`), fullPage: true })
}

/**
 * Runs fn with a page in a fresh browser context (so no session leaks between
 * tests), saves a screenshot named after the test whatever the outcome, and
 * fails the test on any uncaught error in the page.
 */
export async function withPage(browser, t, fn) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e))
  try {
    await fn(page)
    if (pageErrors.length) throw new Error(`uncaught error in the page: ${pageErrors[0].stack ?? pageErrors[0]}`)
  } finally {
    await screenshot(page, t.name).catch(() => {})
    await context.close()
  }
}

/** Logs in through the login form; the page must already show it. */
export async function fillLogin(page, username, password) {
  await page.fill('input[data-testid="login-username"]', username)
  await page.fill('input[data-testid="login-password"]', password)
  await page.click('[data-testid="login-submit"]')
}

/** What /me says about a user, fetched straight from the API (and logged out again). */
export async function fetchMe(username, password) {
  const post = (path, body) =>
    fetch(`${BASE_URL}/api/office/v1/auth/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  const res = await post('login', { username, password })
  if (!res.ok) throw new Error(`API login as ${username} failed: ${res.status} ${await res.text()}`)
  const tokens = await res.json()
  const me = await fetch(`${BASE_URL}/api/office/v1/me`, {
    headers: { Authorization: `Bearer ${tokens.accessToken}` },
  })
  if (!me.ok) throw new Error(`GET /me failed: ${me.status} ${await me.text()}`)
  const body = await me.json()
  await post('logout', { refreshToken: tokens.refreshToken })
  return body
}
