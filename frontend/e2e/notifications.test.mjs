// End-to-end: notifications (消息提醒). 刘志强 (chuzhang, 秘书二处's head)
// has an office page open; 陈晓燕 (staff) submits a 通知 through the API, and
// its 审核 task's notice arrives live: the bell's count rises without a
// reload. He opens it from the bell: it is read, the document opens, the
// count falls. The 通知 is terminated at the end (nothing left on desks).

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BASE_URL, OFFICE_API, api, apiLogin, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

const badge = (page) => page.getByTestId('notify-badge').locator('.el-badge__content')

async function count(page) {
  const b = badge(page)
  if (!(await b.isVisible())) return 0
  return Number((await b.textContent()).replace('+', ''))
}

test('a notice arrives live, and opening it reads it', async (t) => {
  const title = `关于开展消息提醒测试的通知（${randomInt(1e6)}）`
  const staff = await apiLogin('staff')
  let id = ''
  await withPage(t, async (page) => {
    await loginTo(page, 'chuzhang', '/office/notifications')
    await page.getByTestId('notify-table').waitFor()
    await page.waitForTimeout(500) // the bell's first count and its stream
    const before = await count(page)

    const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
      direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
      mainTo: ['厅机关各处室'], body: '<p>现将有关事项通知如下。</p>',
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    id = created.body.id
    const submitted = await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body))

    // No reload: the desktop stream says "notifications", the bell counts again.
    await page.waitForFunction(
      ([n]) => {
        const el = document.querySelector('[data-testid="notify-badge"] .el-badge__content')
        return el && getComputedStyle(el).display !== 'none' && Number(el.textContent.replace('+', '')) > n
      },
      [before],
      { timeout: 15_000 },
    )
    const risen = await count(page)
    assert.equal(risen, before + 1)

    await page.getByTestId('notify-bell').click()
    const item = page.getByTestId('notify-latest').getByTestId('notify-item').filter({ hasText: title })
    await item.waitFor()
    await screenshot(page, 'notifications-bell')
    await item.click()
    await page.waitForURL(`**/office/documents/${id}`)
    await page.waitForFunction(
      ([n]) => {
        const el = document.querySelector('[data-testid="notify-badge"] .el-badge__content')
        return !el || getComputedStyle(el).display === 'none' || Number(el.textContent.replace('+', '')) < n
      },
      [risen],
      { timeout: 15_000 },
    )

    // The page lists it as read.
    await page.goto(`${BASE_URL}/office/notifications`)
    const row = page.getByTestId('notify-table').locator('tr', { hasText: title })
    await row.getByTestId('notify-state').getByText('已读').waitFor()
    await screenshot(page, 'notifications-page')
    await page.getByTestId('notify-tabs').getByText('提醒设置').click()
    await page.getByTestId('notify-prefs').waitFor()
    assert.ok(await page.getByTestId('notify-pref-task').locator('input').isDisabled(), 'task notices cannot be switched off')
    await screenshot(page, 'notifications-preferences')
  })
  if (id) {
    const done = await api('POST', `${OFFICE_API}/documents/${id}/terminate`, staff.accessToken, { reason: '测试结束' })
    assert.equal(done.status, 200, JSON.stringify(done.body))
  }
})
