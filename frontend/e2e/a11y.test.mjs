// Every route of the SPA, checked with axe-core's WCAG 2.1 A/AA rules at the
// desktop width (1366 px) and a phone's (375 px): 0 violations (issue 17).
// The routes are listed by group in e2e/a11y/*.mjs; A11Y_GROUPS=portal,office-a
// runs only those groups (all by default).
//
// A group's entry: { label, path, user?, ready? }
//   path  — a string, or async (ctx) => string for paths with ids
//           (ctx.api(user, method, path, body) calls the office API as user;
//           ctx.portal(path) GETs the portal delivery API)
//   user  — the demo account to sign in as (none: an anonymous reader)
//   ready — a selector shown once the page's content is in (default: main)
//   open  — a selector clicked once the page is in (a form in a dialog, a tab
//           the URL does not name): the check then runs with it open
//   shows — what the click opens, waited for (default: a visible [role=dialog])

import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { axeViolations, describeViolations } from './axe.mjs'
import { BASE_URL, DEMO_PASSWORD, OFFICE_API, apiLogin, fillLogin, launchBrowser, screenshot } from './browser.mjs'

const ALL = ['portal', 'office-a', 'office-b']
const groups = (process.env.A11Y_GROUPS ?? ALL.join(',')).split(',').filter(Boolean)
const WIDTHS = [
  { width: 1366, height: 900 },
  { width: 375, height: 812 },
]

/** Every path checked, resolved: the coverage test matches the router's routes against them. */
const checked = new Set()

const tokens = new Map()
async function token(user) {
  if (!tokens.has(user)) tokens.set(user, (await apiLogin(user)).accessToken)
  return tokens.get(user)
}

const ctx = {
  async api(user, method, path, body) {
    const res = await fetch(`${BASE_URL}${OFFICE_API}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    assert.ok(res.ok, `${method} ${path} as ${user}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  },
  async portal(path) {
    const res = await fetch(`${BASE_URL}/api/portal/v1${path}`)
    assert.ok(res.ok, `GET portal ${path}: ${res.status}`)
    return res.json()
  },
}

/** Opens entry e on page and runs axe: { violations } or { error } when the page could not be shown. */
async function check(page, e) {
  try {
    const path = typeof e.path === 'function' ? await e.path(ctx) : e.path
    checked.add(path.split(/[?#]/)[0])
    await page.goto(`${BASE_URL}${path}`)
    await page.locator(e.ready ?? 'main').first().waitFor()
    // Loading masks and skeletons gone: the page as its reader sees it.
    await page
      .waitForFunction(() => !document.querySelector('.el-loading-mask, .el-skeleton, [aria-busy="true"]'), null, { timeout: 5_000 })
      .catch(() => {})
    if (e.open) {
      await page.locator(e.open).first().click()
      await page.locator(e.shows ?? '[role=dialog]:visible').last().waitFor()
      await page.waitForTimeout(300) // the opening transition
    }
    await page.waitForTimeout(150)
    return { violations: await axeViolations(page) }
  } catch (err) {
    return { error: err.message.split('\n')[0] }
  }
}

/** Signs user in on a new page of context c; a login page that did not load is tried once more. */
async function signedInPage(c, user) {
  const p = await c.newPage()
  p.setDefaultTimeout(15_000)
  if (!user) return p
  for (let attempt = 1; ; attempt++) {
    try {
      await p.goto(`${BASE_URL}/login`)
      await fillLogin(p, user, DEMO_PASSWORD)
      await p.waitForURL((u) => u.pathname !== '/login')
      return p
    } catch (err) {
      if (attempt === 2) throw new Error(`signing in as ${user}: ${err.message.split('\n')[0]}`)
    }
  }
}

for (const group of groups) {
  test(`accessibility: ${group}`, async () => {
    assert.ok(DEMO_PASSWORD, 'set ZHENGWU_DEMO_PASSWORD')
    const entries = (await import(`./a11y/${group}.mjs`)).default
    const browser = await launchBrowser()
    const failures = []
    try {
      // The two widths are checked side by side (each in its own contexts):
      // a page mostly waits for its requests and transitions, so the second
      // width costs little more wall time than the first (CI's 40 minutes).
      await Promise.all(WIDTHS.map(async (viewport) => {
        // One page per user and width, signed in once: the session lives in
        // the tab's sessionStorage, which survives page.goto in that tab.
        const pages = new Map()
        for (const e of entries) {
          const key = e.user ?? ''
          if (!pages.has(key)) {
            const c = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport })
            pages.set(key, await signedInPage(c, e.user))
          }
          const page = pages.get(key)
          const label = `${e.label} [${viewport.width}px${e.user ? `, ${e.user}` : ''}]`
          // A page that did not load (a slow machine, a stalled request) is
          // loaded once more before it counts as a failure: the check is of
          // what a reader is shown, not of how fast; a violation is never retried.
          let outcome
          for (let attempt = 1; attempt <= 2; attempt++) {
            outcome = await check(page, e)
            if (!outcome.error) break
            await screenshot(page, `a11y ${group} ${label} attempt ${attempt}`).catch(() => {})
          }
          if (outcome.error) failures.push(`${label}: could not check: ${outcome.error}`)
          else if (outcome.violations.length) failures.push(describeViolations(label, outcome.violations))
        }
        for (const p of pages.values()) await p.context().close()
      }))
    } finally {
      await browser.close()
    }
    assert.equal(failures.length, 0, `WCAG 2.1 AA violations:\n${failures.join('\n')}`)
  })
}

/**
 * The SPA's route patterns as the router declares them: the portal's and the
 * top-level ones in router/index.ts, each office capability's routes.ts under
 * /office. Catch-alls (not found, placeholders) are left out.
 */
async function routePatterns() {
  const src = new URL('../src/', import.meta.url).pathname
  const paths = (text) => [...text.matchAll(/path: '([^']*)'/g)].map((m) => m[1]).filter((p) => !p.includes('pathMatch') && !p.includes('(.*)'))
  const out = new Set(['/', '/login', '/password', '/office'])
  const router = await readFile(join(src, 'router/index.ts'), 'utf8')
  const portal = router.slice(router.indexOf('children'), router.indexOf("path: '/login'"))
  for (const p of paths(portal)) if (p) out.add(`/${p}`)
  for (const dir of await readdir(join(src, 'office'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    const file = join(src, 'office', dir.name, 'routes.ts')
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const p of paths(text)) out.add(`/office/${p}`)
  }
  return [...out]
}

test('accessibility: every route of the SPA is checked', { skip: groups.length < ALL.length && 'only some groups ran' }, async () => {
  const missing = []
  for (const pattern of await routePatterns()) {
    const re = new RegExp(`^${pattern.replace(/:[A-Za-z]+\\?/g, '[^/]+')}$`)
    if (![...checked].some((p) => re.test(p))) missing.push(pattern)
  }
  assert.deepEqual(missing, [], `routes no a11y group checks (add them to e2e/a11y/<group>.mjs): ${missing.join(', ')}`)
})
