// End-to-end: the built SPA served by the Go binary (zhengwu serve --demo),
// driven in Chromium. Run with `npm run e2e`, or `bash frontend/scripts/e2e.sh`
// which also builds and starts the server.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BASE_URL,
  DEMO_PASSWORD,
  answered,
  fetchMe,
  fillLogin,
  loginFromPortal,
  logout,
  screenshot,
  useBrowser,
  withPage,
} from './browser.mjs'

useBrowser()

const HAN = /[\u4e00-\u9fff]/

const path = (page) => new URL(page.url()).pathname

test('portal home shows the frame and the four columns', async (t) => {
  await withPage(t, async (page) => {
    const res = await page.goto(`${BASE_URL}/`)
    assert.equal(res.status(), 200)
    await page.getByTestId('portal-title').waitFor()
    assert.equal(await page.getByTestId('portal-title').textContent(), '政务信息网')
    for (const title of ['领导文库', '政府文件', '政务要闻', '资料库']) {
      await page.locator('.portal-column', { hasText: title }).waitFor()
    }
    assert.equal((await page.getByTestId('portal-login').textContent()).trim(), '登录')
  })
})

test('staff logs in, sees the desktop, and logs out', async (t) => {
  const me = await fetchMe('staff', DEMO_PASSWORD)
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/`)
    await loginFromPortal(page, 'staff', '/office')

    const name = page.getByTestId('user-name')
    await name.waitFor()
    assert.equal((await name.textContent()).trim(), me.user.displayName)

    // Departments come from /me, which loads after the frame shows.
    const depts = page.getByTestId('user-departments')
    const firstDept = me.departments[0]?.name ?? '未分配部门'
    await depts.filter({ hasText: firstDept }).waitFor()
    for (const d of me.departments) assert.match(await depts.textContent(), new RegExp(d.name))

    const card = page.getByTestId('desktop-card')
    await card.getByTestId('permission-count').waitFor()
    assert.match(await card.textContent(), /个人桌面/)
    assert.equal((await card.getByTestId('permission-count').textContent()).trim(), `共 ${me.permissions.length} 项`)
    assert.equal((await card.getByTestId('clearance').textContent()).trim(), me.clearance)
    // (领导活动, the leaders' schedule, is for those with a schedule permission: not staff)
    for (const item of ['公文', '会议', '值班', '信息', '邮件', '信息发布']) {
      await page.getByTestId('office-menu').getByText(item, { exact: true }).waitFor()
    }
    await screenshot(page, 'desktop-staff')

    await logout(page)
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'tokens must be gone after logout')

    // Logged out means logged out: the office sends us back to the login page.
    await page.goto(`${BASE_URL}/office`)
    await page.waitForURL((u) => u.pathname === '/login')
  })
})

test('a wrong password shows the server message in Chinese', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/login`)
    // Not staff: a failed attempt counts towards a lockout.
    await fillLogin(page, 'clerk', `${DEMO_PASSWORD}-wrong`)
    const error = page.getByTestId('login-error')
    await error.waitFor()
    const text = (await error.textContent()).trim()
    assert.match(text, HAN, `expected a Chinese message, got ${JSON.stringify(text)}`)
    assert.equal(path(page), '/login')
    assert.equal(await page.evaluate(() => sessionStorage.length), 0)
  })
})

test('repeated wrong passwords lock the account and show the unlock time', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/login`)
    // A username that does not exist locks just as a real account does (the
    // answers must not tell which accounts exist), so no demo account is locked
    // for the other tests.
    const error = page.getByTestId('login-error')
    const nobody = `nobody${Date.now()}`
    for (let i = 0; i < 10; i++) {
      const attempt = answered(page, 'POST', '/api/office/v1/auth/login')
      await fillLogin(page, nobody, `${DEMO_PASSWORD}-wrong`)
      if ((await attempt).status() === 423) break
    }
    await error.filter({ hasText: '解锁时间' }).waitFor()
    const text = await error.textContent()
    assert.match(text, /解锁时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, `no unlock time in ${JSON.stringify(text)}`)
    assert.match(text, HAN)
  })
})

test('the office needs a login and returns to the page asked for', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/office`)
    await page.waitForURL((u) => u.pathname === '/login')
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/office')

    await page.goto(`${BASE_URL}/office/documents`)
    await page.waitForURL((u) => u.pathname === '/login')
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/office/documents')
    await fillLogin(page, 'staff', DEMO_PASSWORD)
    await page.waitForURL((u) => u.pathname === '/office/documents')
    await page.getByTestId('doc-list').waitFor()
  })
})

test('a deep link under /office is served by the history fallback', async (t) => {
  await withPage(t, async (page) => {
    // Anonymous: the server still serves the SPA, which then asks for a login.
    const anon = await page.goto(`${BASE_URL}/office/xyz`)
    assert.equal(anon.status(), 200)
    assert.match(anon.headers()['content-type'] ?? '', /text\/html/)
    await page.waitForURL((u) => u.pathname === '/login')
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/office/xyz')

    await fillLogin(page, 'staff', DEMO_PASSWORD)
    await page.waitForURL((u) => u.pathname === '/office/xyz')

    // A full reload of the deep link keeps the session (sessionStorage) and the page.
    const reloaded = await page.reload()
    assert.equal(reloaded.status(), 200)
    await page.getByTestId('not-found').waitFor()
    await page.getByTestId('user-name').waitFor()
    assert.equal(path(page), '/office/xyz')
  })
})
