// End-to-end: leave (请假). 陈晓燕 (staff, 秘书二处) asks for leave, the form
// naming the field the server refused first; her head 刘志强 (chuzhang)
// approves it from 待我审批; she sees it approved on her desktop.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { loginTo, logout, useBrowser, withPage } from './browser.mjs'

useBrowser()

test('staff asks for leave, the department head approves it', async (t) => {
  const reason = `参加亲属婚礼（${randomInt(1e6)}）`
  await withPage(t, async (page) => {
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
    await logout(page)

    await loginTo(page, 'chuzhang', '/office/leave?tab=approvals')
    const row = page.getByTestId('leave-approvals').locator('tr', { hasText: reason })
    await row.getByTestId('leave-approve').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await row.waitFor({ state: 'detached' })
    await logout(page)

    await loginTo(page, 'staff', '/office')
    await page.getByTestId('desktop-panel-leave.mine').locator('li', { hasText: '2026-08-03' }).getByText('已批准').waitFor()
  })
})
