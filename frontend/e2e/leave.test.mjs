// End-to-end: leave (请假). 陈晓燕 (staff, 秘书二处) asks for leave, the form
// naming the field the server refused first; her head 刘志强 (chuzhang)
// approves it from 待我审批; she sees it approved on her desktop.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { after, before, test } from 'node:test'
import { BASE_URL, DEMO_PASSWORD, fillLogin, launchBrowser, withPage } from './browser.mjs'

let browser
before(async () => {
  assert.ok(DEMO_PASSWORD, 'set ZHENGWU_DEMO_PASSWORD to the password the server was started with')
  browser = await launchBrowser()
})
after(() => browser?.close())

async function loginTo(page, username, path) {
  await page.goto(`${BASE_URL}/login?redirect=${encodeURIComponent(path)}`)
  await fillLogin(page, username, DEMO_PASSWORD)
  await page.waitForURL((u) => u.pathname === path.split('?')[0])
}

test('staff asks for leave, the department head approves it', async (t) => {
  const reason = `参加亲属婚礼（${randomInt(1e6)}）`
  await withPage(browser, t, async (page) => {
    await loginTo(page, 'staff', '/office/leave')
    const form = page.getByTestId('leave-form')
    await form.getByText('事假').click()
    await page.getByTestId('leave-reason').fill(reason)
    await page.getByTestId('leave-submit').click()
    await form.locator('.el-form-item__error').first().waitFor() // no dates: the server names the field
    const [start, end] = await form.locator('.el-range-input').all()
    await start.fill('2026-08-03')
    await end.fill('2026-08-05')
    await end.press('Enter')
    await page.getByTestId('leave-submit').click()
    await page.getByTestId('leave-mine').getByText(reason).waitFor()
    await page.getByTestId('logout').click()
    await page.waitForURL((u) => u.pathname === '/login')

    await loginTo(page, 'chuzhang', '/office/leave?tab=approvals')
    const row = page.getByTestId('leave-approvals').locator('tr', { hasText: reason })
    await row.getByTestId('leave-approve').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await row.waitFor({ state: 'detached' })
    await page.getByTestId('logout').click()
    await page.waitForURL((u) => u.pathname === '/login')

    await loginTo(page, 'staff', '/office')
    await page.getByTestId('desktop-panel-leave.mine').locator('li', { hasText: '2026-08-03' }).getByText('已批准').waitFor()
  })
})
