// End-to-end: the editors' console withdraws what readers see. Two news items are
// published through the API (editor → 初审 reviewer → 终审 director); the director
// withdraws one from its editor page and schedules the other's withdrawal from the
// document list. A visitor sees each leave the home page's 政务要闻 column while its
// page stays readable, marked 已撤回 with the reason.
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { BASE_URL, answered, api, apiLogin, expectAnswer, loginTo, logout, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** Calls the API as username (logged in once per call chain); any answer but 2xx fails the test. */
async function apiAs(username) {
  const { accessToken } = await apiLogin(username)
  return async (method, path, body) => {
    const r = await api(method, path, accessToken, body)
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} as ${username}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
}

/** Publishes a news item through both review steps; returns its id. */
async function publishNews(title) {
  const [editor, reviewer, director] = await Promise.all(['editor', 'reviewer', 'director'].map(apiAs))
  const docs = '/api/portal/v1/manage/documents'
  let v = await editor('POST', docs, {
    type: 'article',
    channel: 'news',
    department: 'xinxi',
    fields: { title, summary: `${title}的摘要`, body: `<p>${title}。会议研究部署了下一阶段重点工作。</p>` },
    changeNote: '初稿',
  })
  const id = v.document.id
  v = await editor('POST', `${docs}/${id}/submit`, { version: v.version })
  v = await reviewer('POST', `${docs}/${id}/approve`, { version: v.version, comment: '同意' })
  v = await director('POST', `${docs}/${id}/approve`, { version: v.version, comment: '同意发布' })
  assert.equal(v.document.state, 'published')
  // Wait for the delivery index to include the publication.
  const r = await fetch(`${BASE_URL}/api/portal/v1/items?channel=news&size=1&consistentWith=${v.seq}`)
  assert.equal(r.status, 200)
  return id
}

/** Whether the home page's 政务要闻 column lists title (loads the home page afresh). */
async function homeListsNews(page, title) {
  await page.goto(`${BASE_URL}/`)
  const column = page.getByTestId('column-news')
  await column.locator('li, .el-empty').first().waitFor()
  return (await column.getByText(title, { exact: true }).count()) > 0
}

/** Polls until the home page's news column stops (or starts) listing title. */
async function waitHome(page, title, listed, seconds = 15) {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if ((await homeListsNews(page, title)) === listed) return
    await page.waitForTimeout(1000)
  }
  assert.fail(`the home page ${listed ? 'does not list' : 'still lists'} ${title} after ${seconds} s`)
}

/** The item page shows 已撤回 with the reason. */
async function seeWithdrawnPage(page, id, title, reason) {
  await page.goto(`${BASE_URL}/items/${id}`)
  const notice = page.getByTestId('item-withdrawn')
  await notice.waitFor()
  assert.match(await notice.textContent(), /已撤回/)
  assert.match(await notice.textContent(), new RegExp(reason))
  assert.equal((await page.getByTestId('item-title').textContent()).trim(), title)
}

/** "2026-03-02 09:00:25" in the browser's (and this process's) local time. */
function localDateTime(d) {
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

test('a publisher withdraws a news item: it leaves the home page and its page shows 已撤回', async (t) => {
  const n = randomInt(100, 99999)
  const title = `省政府召开专题会议研究防汛工作（测试${n}）`
  const reason = `内容有误，已更正重发（测试${n}）`
  const id = await publishNews(title)

  await withPage(t, async (page) => {
    await waitHome(page, title, true)

    await loginTo(page, 'director', `/office/portal/documents/${id}`)
    await page.getByTestId('doc-state').filter({ hasText: '已发布' }).waitFor()
    await page.getByTestId('live-actions').click()
    await page.locator('[data-testid="live-withdraw"]:visible').click()
    const dialog = page.getByTestId('withdraw-dialog')
    // A reason is required before anything is sent.
    await dialog.getByTestId('withdraw-confirm').click()
    await dialog.getByText('请填写撤回原因').waitFor()
    await dialog.locator('textarea[data-testid="withdraw-reason"]').fill(reason)
    const withdrawn = answered(page, 'POST', `/documents/${id}/withdraw`)
    await dialog.getByTestId('withdraw-confirm').click()
    await expectAnswer(withdrawn, 'withdraw', 200)
    await page.getByTestId('doc-state').filter({ hasText: '已撤回' }).waitFor()
    assert.match(await page.getByTestId('doc-withdrawn').textContent(), new RegExp(reason))
    await screenshot(page, 'portal-console-withdrawn')
    await logout(page)

    await waitHome(page, title, false)
    await screenshot(page, 'portal-home-after-withdrawal')
    await seeWithdrawnPage(page, id, title, reason)
    await screenshot(page, 'portal-item-withdrawn')
  })
})

test('a publisher schedules a withdrawal from the document list; it happens at that time', async (t) => {
  const n = randomInt(100, 99999)
  const title = `全省政务服务“一网通办”推进会召开（测试${n}）`
  const reason = `活动已结束（测试${n}）`
  const id = await publishNews(title)

  await withPage(t, async (page) => {
    await waitHome(page, title, true)

    await loginTo(page, 'director', '/office/portal')
    await page.fill('input[data-testid="filter-q"]', title)
    await page.getByRole('button', { name: '查询' }).click()
    const row = page.locator('.el-table__row', { hasText: title }).first()
    await row.waitFor()
    await row.getByTestId('live-actions').click()
    await page.locator('[data-testid="live-schedule"]:visible').click()
    const dialog = page.getByTestId('withdraw-dialog')
    await dialog.locator('textarea[data-testid="withdraw-reason"]').fill(reason)
    // In a past minute: refused in the dialog.
    const when = dialog.locator('.el-form-item', { hasText: '撤回时间' }).locator('input')
    await when.fill(localDateTime(new Date(Date.now() - 60_000)))
    await when.press('Enter')
    await dialog.getByTestId('withdraw-confirm').click()
    await dialog.getByText('撤回时间须晚于当前时间').waitFor()
    // Half a minute from now.
    const at = new Date(Date.now() + 30_000)
    await when.fill(localDateTime(at))
    await when.press('Enter')
    const scheduled = answered(page, 'POST', `/documents/${id}/withdraw`)
    await dialog.getByTestId('withdraw-confirm').click()
    const res = await expectAnswer(scheduled, 'schedule withdrawal', 200)
    const body = await res.json()
    assert.equal(body.document.live, 'published', 'still published until the time')
    assert.ok(Math.abs(new Date(body.document.withdrawAt).getTime() - at.getTime()) < 1500, `withdrawAt ${body.document.withdrawAt}`)
    // The list shows the schedule.
    await row.getByTestId('row-live').filter({ hasText: '定时撤回' }).waitFor()
    await screenshot(page, 'portal-console-scheduled-withdrawal')
    await logout(page)

    // Still on the home page until the time (when there is time left to look); gone from it after.
    if (Date.now() < at.getTime() - 5000) assert.ok(await homeListsNews(page, title), 'withdrawn before its time')
    await waitHome(page, title, false, 75)
    await seeWithdrawnPage(page, id, title, reason)
  })
})
