// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), the server's address and the demo
// password from the environment, a page per test with a screenshot after it,
// and the steps every test takes (logging in through the form, picking from
// an Element Plus select, waiting for an answer, calling the API directly).
// A test file calls useBrowser() once, then withPage(t, fn) in each test.

import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { after, before } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.ZHENGWU_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '')
export const DEMO_PASSWORD = process.env.ZHENGWU_DEMO_PASSWORD ?? ''
/** The office API's base path. */
export const OFFICE_API = '/api/office/v1'

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

let browser

/** Launches Chromium before the file's tests (which need the demo password) and closes it after them. */
export function useBrowser() {
  before(async () => {
    assert.ok(DEMO_PASSWORD, 'set ZHENGWU_DEMO_PASSWORD to the password the server was started with')
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
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
 * fails the test on any uncaught error in the page. The file must call useBrowser().
 */
export async function withPage(t, fn) {
  assert.ok(browser, 'call useBrowser() in the test file')
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } })
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

/** Opens path (under /office) signed in as username, through the login page's redirect. */
export async function loginTo(page, username, path, password = DEMO_PASSWORD) {
  await page.goto(`${BASE_URL}/login?redirect=${encodeURIComponent(path)}`)
  await fillLogin(page, username, password)
  await page.waitForURL((u) => u.pathname === path.split('?')[0])
}

/** Signs in through the portal header's 登录 and waits to land on landing (a path). */
export async function loginFromPortal(page, username, landing, password = DEMO_PASSWORD) {
  await page.getByTestId('portal-login').click()
  await page.waitForURL((u) => u.pathname === '/login')
  await fillLogin(page, username, password)
  await page.waitForURL((u) => u.pathname === landing)
}

/** Logs out from the office frame and waits for the login page. */
export async function logout(page) {
  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname === '/login')
}

/** Picks option in the Element Plus select with the given test id. */
export async function pick(page, testId, option) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible').getByText(option, { exact: true }).first().click()
}

/**
 * The answer to the next method request whose path ends with pathEnd (a
 * string) or matches it (a RegExp); start waiting before the click that sends it.
 */
export function answered(page, method, pathEnd) {
  return page.waitForResponse((r) => {
    if (r.request().method() !== method) return false
    const path = new URL(r.url()).pathname
    return typeof pathEnd === 'string' ? path.endsWith(pathEnd) : pathEnd.test(path)
  })
}

/** Awaits answer (from answered) and checks its status: status when given, else any 2xx; returns the response. */
export async function expectAnswer(answer, what, status) {
  const res = await answer
  const ok = status === undefined ? res.status() < 300 : res.status() === status
  if (!ok) assert.fail(`${what} answered ${res.status()}${status === undefined ? '' : ` (want ${status})`}: ${await res.text().catch(() => '')}`)
  return res
}

/**
 * Reloads the page until locator shows up (at most ~timeoutMs; what the query
 * side serves may trail the last write by a moment), awaiting ready() after
 * each reload, then waits for it.
 */
export async function pollFor(page, locator, ready, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs
  while (!(await locator.count()) && Date.now() < until) {
    await page.waitForTimeout(500)
    await page.reload()
    await ready()
  }
  await locator.first().waitFor({ timeout: 1_000 })
}

/** Calls the API at path (under BASE_URL) with a bearer token ('' = none); returns { status, body }. */
export async function api(method, path, token, body) {
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** Logs username in through the API; returns its tokens ({ accessToken, refreshToken, … }). */
export async function apiLogin(username, password = DEMO_PASSWORD) {
  const r = await api('POST', `${OFFICE_API}/auth/login`, '', { username, password })
  assert.equal(r.status, 200, `API login as ${username}: ${JSON.stringify(r.body)}`)
  return r.body
}

/**
 * Does the 印制 of document id the only way it is done: through its print job
 * (doc-<id>), as the printer — claim, proofread, seal check, done — once the
 * print room's intake has made the job. Returns the seal check.
 */
export async function printByApi(id) {
  const { accessToken } = await apiLogin('printer')
  const job = `${OFFICE_API}/print/jobs/doc-${id}`
  const deadline = Date.now() + 15_000
  while ((await api('GET', job, accessToken)).status !== 200) {
    assert.ok(Date.now() < deadline, `no print job for ${id}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  for (const [step, body] of [['claim'], ['proofread', { ok: true }], ['seal-check'], ['done', {}]]) {
    const r = await api('POST', `${job}/${step}`, accessToken, body)
    assert.equal(r.status, 200, `print ${step}: ${JSON.stringify(r.body)}`)
    if (step === 'seal-check') assert.equal(r.body.sealCheck.ok, true, `seal check: ${JSON.stringify(r.body.sealCheck)}`)
  }
}

/** What /me says about a user, fetched straight from the API (and logged out again). */
export async function fetchMe(username, password) {
  const tokens = await apiLogin(username, password)
  const me = await api('GET', `${OFFICE_API}/me`, tokens.accessToken)
  assert.equal(me.status, 200, `GET /me: ${JSON.stringify(me.body)}`)
  await api('POST', `${OFFICE_API}/auth/logout`, '', { refreshToken: tokens.refreshToken })
  return me.body
}
