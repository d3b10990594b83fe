// End-to-end: the leaders' weekly schedule (领导活动). 刘志强 (chuzhang,
// 秘书二处's head) submits an activity for next week; 综合处's 张明华 (clerk)
// finds it among the submissions and compiles the week; the director 王建国
// reads this week's published grid, its change after publishing and the
// statistics, and exports them; 陈晓燕 (staff) has no 领导活动 at all.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { loginTo, logout, pick, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** The ISO week of a day ("2026-W50") and the date of its day n (0 = Monday). */
function isoWeek(d) {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()))
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7))
  const y = t.getUTCFullYear()
  return `${y}-W${String(Math.ceil(((t - Date.UTC(y, 0, 1)) / 86_400_000 + 1) / 7)).padStart(2, '0')}`
}
function dayOfNextWeek(n) {
  const d = new Date()
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + 7 + n)
  return d
}
const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

test('a department submits, the office compiles, a leader reads the week and its statistics', async (t) => {
  const what = `听取全省数字政府建设情况汇报（${randomInt(1e6)}）`
  const wednesday = dayOfNextWeek(2)
  const next = isoWeek(wednesday)
  await withPage(t, async (page) => {
    await loginTo(page, 'chuzhang', '/office/schedule?tab=submit')
    const form = page.getByTestId('schedule-form')
    await pick(page, 'schedule-leader', '省长 王振华')
    await page.getByTestId('schedule-content').fill(what)
    await page.getByTestId('schedule-submit').click()
    await form.locator('.el-form-item__error').first().waitFor() // no date, no place: the server names the fields
    const date = form.locator('.el-date-editor input').first()
    await date.fill(ymd(wednesday))
    await date.press('Enter')
    await page.getByTestId('schedule-place').fill('省政府第一会议室')
    await page.getByTestId('schedule-submit').click()
    await page.getByTestId('schedule-mine').locator('tr', { hasText: what }).getByText('已报送').waitFor()
    await logout(page)

    await loginTo(page, 'clerk', `/office/schedule?tab=compile&week=${next}`)
    await page.getByTestId('schedule-pending').getByText(what).waitFor()
    await page.getByTestId('schedule-do-compile').click()
    await page.getByTestId('schedule-compiled').getByText(what).waitFor()
    assert.equal(await page.getByTestId('schedule-pending').getByText(what).count(), 0)
    await logout(page)

    // This week's schedule is published, one meeting moved after publishing.
    await loginTo(page, 'director', '/office/schedule')
    const grid = page.getByTestId('schedule-grid')
    const moved = grid.locator('.entry', { hasText: '巴伐利亚' })
    await moved.getByText('已变更').waitFor()
    await moved.getByText('16:00–17:30').waitFor()
    await screenshot(page, 'schedule-week')
    await page.getByTestId('schedule-tabs').getByText('变更记录').click()
    const change = page.getByTestId('schedule-changes').locator('.el-timeline-item', { hasText: '巴伐利亚' })
    await change.locator('tr.changed', { hasText: '15:00–16:30' }).getByText('16:00–17:30').waitFor()
    await page.getByTestId('schedule-tabs').getByText('统计').click()
    await page.getByTestId('schedule-stats-summary').waitFor()
    await page.getByTestId('chart-leader').locator('canvas').first().waitFor()
    await screenshot(page, 'schedule-stats')
    const downloading = page.waitForEvent('download')
    await page.getByTestId('schedule-export-xlsx').click()
    const file = await downloading
    assert.match(file.suggestedFilename(), /^领导活动统计.*\.xlsx$/)
    await logout(page)

    await loginTo(page, 'staff', '/office')
    await page.getByTestId('office-menu').getByText('个人桌面').waitFor()
    assert.equal(await page.getByTestId('office-menu').getByText('领导活动').count(), 0)
  })
})
