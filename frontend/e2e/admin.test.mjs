// End-to-end: the officers' console (三员管理, issue 10) and the forced
// password change. The system administrator creates a user and resets a
// password but cannot touch the security administrator's account; the
// security administrator grants a role and sets a clearance but not its
// own; the auditor filters, exports and verifies the audit log; a new user
// must change the password at the first login.
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import {
  BASE_URL,
  OFFICE_API,
  answered,
  api,
  apiLogin,
  expectAnswer,
  fillLogin,
  loginTo,
  pick,
  screenshot,
  useBrowser,
  withPage,
} from './browser.mjs'

useBrowser()

/** Calls the office API (path under /api/office/v1); returns { status, body }. */
const office = (method, path, token, body) => api(method, OFFICE_API + path, token, body)

const tokenOf = async (username) => (await apiLogin(username)).accessToken

async function userId(token, username) {
  const r = await office('GET', '/users', token)
  return r.body.items.find((u) => u.username === username).id
}

/** A fresh account made by the system administrator (it must change its password at the first login). */
async function newUser(prefix, password = 'Chushi-Mima-2026') {
  const username = `${prefix}${randomInt(1e6)}`
  const r = await office('POST', '/users', await tokenOf('sysadmin'), {
    username,
    displayName: `测试${username.slice(-4)}`,
    password,
    departmentIds: ['mishu1'],
    postIds: [],
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  return r.body
}

/** The page's own access token (sessionStorage), to check what the API refuses. */
const pageToken = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('zhengwu.session')).accessToken)

/** Asserts that the office API refused a call (403) for the reason code. */
function assertRefused(r, code) {
  assert.equal(r.status, 403, JSON.stringify(r.body))
  assert.equal(r.body.code, code)
}

test('the system administrator creates a user and resets a password, but cannot touch an officer', async (t) => {
  const username = `e2e${randomInt(1e6)}`
  await withPage(t, async (page) => {
    await loginTo(page, 'sysadmin', '/office/admin/users')
    await page.getByTestId('office-menu').getByText('三员管理', { exact: true }).waitFor()
    const table = page.getByTestId('users-table')
    await table.getByText('secadmin', { exact: true }).waitFor()

    await page.getByTestId('user-new').click()
    await page.fill('input[data-testid="new-username"]', username)
    await page.fill('input[data-testid="new-displayname"]', '测试新人')
    await page.fill('input[data-testid="new-password"]', 'Chushi-Mima-2026')
    await pick(page, 'new-departments', '秘书一处')
    await page.keyboard.press('Escape')
    const created = answered(page, 'POST', '/users')
    await page.getByTestId('user-create-submit').click()
    await expectAnswer(created, 'create user', 201)
    const row = page.locator('.el-table__row', { hasText: username })
    await row.getByTestId('user-must-change').waitFor()
    assert.match(await row.textContent(), /秘书一处/)

    await row.getByTestId('user-reset').click()
    await page.fill('input[data-testid="reset-password"]', 'Chongzhi-Mima-2027')
    const reset = answered(page, 'POST', '/password')
    await page.getByTestId('reset-submit').click()
    await expectAnswer(reset, 'reset password', 204)
    await screenshot(page, 'admin-users')

    // The security administrator's row offers a request, not the buttons.
    const officer = page.locator('.el-table__row', { hasText: 'secadmin' })
    await officer.getByTestId('user-protected').waitFor()
    assert.equal(await officer.getByTestId('user-reset').count(), 0)
    assert.equal(await officer.getByTestId('user-toggle').count(), 0)
    // ... and the API refuses what the page does not offer.
    const token = await pageToken(page)
    const secID = await userId(token, 'secadmin')
    assertRefused(await office('POST', `/users/${secID}/password`, token, { password: 'Duoquan-Mima-2026' }), 'officer_account')
    assertRefused(await office('PATCH', `/users/${secID}`, token, { disabled: true }), 'officer_account')
  })
  // The reset password logs in only to be changed.
  const login = await office('POST', '/auth/login', '', { username, password: 'Chongzhi-Mima-2027' })
  assert.equal(login.status, 200)
  assert.equal(login.body.passwordChangeRequired, true)
  assert.equal(login.body.passwordChangeReason, 'reset')
})

test('a new user must change the password at the first login', async (t) => {
  const u = await newUser('xinren')
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/login?redirect=${encodeURIComponent('/office/info')}`)
    await fillLogin(page, u.username, 'Chushi-Mima-2026')
    await page.waitForURL((url) => url.pathname === '/password')
    assert.match(await page.getByTestId('pw-reason').textContent(), /首次登录/)
    // Anything else sends it back here.
    await page.goto(`${BASE_URL}/office`)
    await page.waitForURL((url) => url.pathname === '/password')

    await page.fill('input[data-testid="pw-old"]', 'Chushi-Mima-2026')
    await page.fill('input[data-testid="pw-new"]', 'P@ssw0rd2026')
    await page.fill('input[data-testid="pw-confirm"]', 'P@ssw0rd2026')
    await page.getByTestId('pw-submit').click()
    await page.getByTestId('pw-error').filter({ hasText: '常见' }).waitFor()

    await page.fill('input[data-testid="pw-new"]', 'Ziji-Xuan-Mima-7')
    await page.fill('input[data-testid="pw-confirm"]', 'Ziji-Xuan-Mima-7')
    const changed = answered(page, 'POST', '/auth/password')
    await page.getByTestId('pw-submit').click()
    await expectAnswer(changed, 'change password', 200)
    await page.waitForURL((url) => url.pathname.startsWith('/office'))
    await page.getByTestId('user-name').filter({ hasText: u.displayName }).waitFor()
    await screenshot(page, 'first-login-changed')
  })
  const again = await office('POST', '/auth/login', '', { username: u.username, password: 'Ziji-Xuan-Mima-7' })
  assert.equal(again.status, 200)
  assert.ok(!again.body.passwordChangeRequired)
})

test('the security administrator grants a role and sets a clearance, but not its own', async (t) => {
  const u = await newUser('shouquan')
  await withPage(t, async (page) => {
    await loginTo(page, 'secadmin', '/office/admin/grants')
    await pick(page, 'grant-user', `${u.displayName}（${u.username}）`)
    await page.getByTestId('grants-table').waitFor()
    await pick(page, 'grant-role', '信息编辑')
    await pick(page, 'grant-department', '秘书一处')
    const granted = answered(page, 'POST', '/grants')
    await page.getByTestId('grant-add').click()
    await expectAnswer(granted, 'grant', 201)
    await page.locator('[data-testid="grants-table"] .el-table__row', { hasText: '信息编辑' }).filter({ hasText: '秘书一处' }).waitFor()

    await pick(page, 'clearance-select', '秘密')
    const set = answered(page, 'PUT', '/clearance')
    await page.getByTestId('clearance-set').click()
    await expectAnswer(set, 'clearance', 200)
    await page.getByTestId('grant-clearance').filter({ hasText: '秘密' }).waitFor()
    await screenshot(page, 'admin-grants')

    // Its own account: no controls, and the API refuses.
    await pick(page, 'grant-user', '安全保密管理员（secadmin）')
    await page.getByTestId('grants-locked').waitFor()
    assert.equal(await page.getByTestId('clearance-set').count(), 0)
    const token = await pageToken(page)
    const me = await userId(token, 'secadmin')
    assertRefused(await office('PUT', `/users/${me}/clearance`, token, { clearance: '秘密' }), 'own_account')
  })
  const grants = await office('GET', `/users/${u.id}/grants`, await tokenOf('secadmin'))
  assert.ok(grants.body.items.some((g) => g.role === 'editor' && g.departmentId === 'mishu1'))
})

test('the auditor filters, exports and verifies the audit log', async (t) => {
  // A failed login to find.
  await office('POST', '/auth/login', '', { username: `nobody${randomInt(1e6)}`, password: 'Wrong-Pass-1' })
  await withPage(t, async (page) => {
    await loginTo(page, 'auditor', '/office/admin/audit')
    await page.getByTestId('audit-table').waitFor()
    await pick(page, 'audit-action', '登录')
    await page.getByTestId('audit-outcome').getByText('失败', { exact: true }).click()
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/audit') && r.url().includes('outcome=failure'))
    await page.getByTestId('audit-search').click()
    await expectAnswer(listed, 'filtered list', 200)
    const actions = page.getByTestId('audit-row-action')
    await actions.first().waitFor()
    for (const a of await actions.allTextContents()) assert.equal(a.trim(), '登录')
    for (const o of await page.getByTestId('audit-row-outcome').allTextContents()) assert.equal(o.trim(), '失败')
    await screenshot(page, 'admin-audit')

    const downloading = page.waitForEvent('download')
    await page.getByTestId('audit-export').click()
    const file = await downloading
    assert.match(file.suggestedFilename(), /\.csv$/)
    const bytes = await readFile(await file.path())
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a byte-order mark')
    const text = bytes.subarray(3).toString('utf8')
    assert.match(text, /^序号,时间,操作人,来源地址,事件,对象,结果,原因,详情,哈希\r\n/)
    assert.ok(text.split('\r\n').slice(1).filter(Boolean).every((l) => l.includes(',auth.login,')), 'only the filtered events')

    await page.getByTestId('audit-verify').click()
    await page.getByTestId('audit-verify-result').filter({ hasText: '审计链完整' }).waitFor()

    // The export itself is in the trail.
    await page.getByTestId('audit-outcome').getByText('全部', { exact: true }).click()
    await pick(page, 'audit-action', '导出审计日志')
    await page.getByTestId('audit-search').click()
    await page.getByTestId('audit-row-action').filter({ hasText: '导出审计日志' }).first().waitFor()
  })
})
