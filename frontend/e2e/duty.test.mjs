// End-to-end: duty (值班). The duty officer 林晓峰 (zhiban1) records an
// important call — the form naming the phone number the server refused
// first —, finds it by searching the log in Chinese, and it is escalated to
// today's 带班领导, who finds it on the desktop and acknowledges it.

import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { BASE_URL, loginTo, logout, useBrowser, withPage } from './browser.mjs'

useBrowser()

// The demo's 带班领导, by name.
const leaders = { 王建国: 'director', 陈立新: 'fumishuzhang' }

test('a duty officer logs an important call, the duty leader acknowledges it', async (t) => {
  const title = `高速公路团雾多车追尾（${randomInt(1e6)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'zhiban1', '/office/duty')
    await page.getByTestId('duty-calendar').waitFor() // the month's roster
    await page.getByRole('tab', { name: '值班记录' }).click()
    await page.getByTestId('duty-log-new').click()
    await page.getByTestId('duty-log-kind').getByText('突发事件').click()
    await page.getByTestId('duty-log-unit').fill('省交通运输厅')
    await page.getByTestId('duty-log-phone').fill('12ab')
    await page.getByTestId('duty-log-title').fill(title)
    await page.getByTestId('duty-log-content').fill('G40沪陕高速六安段因团雾发生多车追尾，暂无人员死亡，交警已封闭该路段。')
    await page.getByTestId('duty-log-flag').click()
    await page.getByTestId('duty-log-submit').click()
    await page.locator('.el-form-item__error', { hasText: '电话号码格式不正确' }).waitFor()
    await page.getByTestId('duty-log-phone').fill('0564-3378110')
    await page.getByTestId('duty-log-submit').click()
    const row = page.getByTestId('duty-log').locator('tr', { hasText: title })
    await row.getByTestId('duty-log-important').waitFor()

    await page.getByTestId('duty-log-search').fill('团雾多车追尾')
    await page.getByTestId('duty-log-search').press('Enter')
    await row.waitFor()
    const tag = await row.locator('.el-tag', { hasText: '阅示' }).textContent()
    const name = Object.keys(leaders).find((n) => tag?.includes(n))
    if (!name) throw new Error(`not escalated to a 带班领导: ${tag}`)
    await logout(page)

    await loginTo(page, leaders[name], '/office')
    await page.getByTestId('desktop-tasks').getByText(title).waitFor()
    await page.goto(`${BASE_URL}/office/duty?tab=log`)
    const mine = page.getByTestId('duty-log').locator('tr', { hasText: title })
    await mine.getByTestId('duty-log-ack').click()
    await mine.locator('.el-tag', { hasText: `${name}已阅` }).waitFor()
  })
})

test('值班室 drafts a roster by turns and publishes it', async (t) => {
  // Two months ahead: the demo has published this month's and next.
  const now = new Date(Date.now() + 8 * 3600e3)
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1))
  const month = ahead.toISOString().slice(0, 7)
  await withPage(t, async (page) => {
    await loginTo(page, 'zhibanzhuren', '/office/duty')
    const picker = page.getByTestId('duty-month').locator('input')
    await picker.fill(month)
    await picker.press('Enter')
    await page.getByTestId('duty-roster-edit').click()
    await page.getByTestId('duty-roster-rotate').click()
    await page.getByTestId('duty-roster-save').click()
    await page.getByTestId('duty-roster-state').getByText('草稿').waitFor()
    await page.getByTestId('duty-publish').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.getByTestId('duty-roster-state').getByText('已发布').waitFor()
    await page.getByTestId('duty-calendar').locator(`[data-date="${month}-01"]`).getByText('带班').waitFor()
  })
})
