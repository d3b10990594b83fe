// End-to-end: the portal CMS through the SPA — an editor drafts a policy file,
// the department reviewer (初审) and the office director (终审) approve it, and
// an anonymous visitor finds it in 政府文件 with its metadata table.
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { BASE_URL, answered, expectAnswer, loginTo, logout, pollFor, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** Picks an option of the Element Plus select inside the form item labelled label. */
async function choose(page, label, option) {
  await page.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: label }) }).locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

/** Approves the document titled title from the review queue (one review step). */
async function approveFromQueue(page, title) {
  const row = page.locator('.el-table__row', { hasText: title })
  await pollFor(page, row, () => page.getByTestId('review-queue').waitFor())
  await row.first().getByTestId('approve').click()
  await page.fill('textarea[data-testid="approve-comment"]', '同意。')
  const approved = answered(page, 'POST', /\/manage\/documents\/[^/]+\/approve$/)
  await page.getByTestId('approve-confirm').click()
  await expectAnswer(approved, 'approve', 200)
  await row.first().waitFor({ state: 'detached' })
}

test('an editor drafts a policy file, a reviewer publishes it, a visitor sees it in 政府文件', async (t) => {
  const n = randomInt(100, 99999)
  const docNumber = `皖政办〔2026〕${n}号`
  const title = `关于进一步做好政务信息公开工作的通知（测试${n}）`

  await withPage(t, async (page) => {
    // 1. The editor (信息处) drafts the policy file and submits it.
    await loginTo(page, 'editor', '/office/portal/new?type=policy')
    await page.getByTestId('edit-form').waitFor()
    await choose(page, '栏目', '省政府办公厅文件')
    // The department defaults to the editor's own (信息处) once /me has loaded.
    await page.locator('.el-form-item', { hasText: '部门' }).locator('.el-select', { hasText: '信息处' }).waitFor()
    await page.fill('input[data-testid="field-title"]', title)
    await page.fill('input[data-testid="field-docNumber"]', docNumber)
    await page.fill('input[data-testid="field-issuers"]', '省人民政府办公厅')
    const written = page.locator('.el-form-item', { hasText: '成文日期' }).locator('input')
    await written.fill('2026-11-20')
    await written.press('Enter')
    await page.locator('.ProseMirror').click()
    await page.keyboard.type('各市人民政府，省政府各部门：为进一步做好政务信息公开工作，现就有关事项通知如下。')
    await page.fill('input[data-testid="field-changeNote"]', '初稿')

    await page.getByTestId('save-draft').click()
    await page.waitForURL((u) => /^\/office\/portal\/documents\/[^/]+$/.test(u.pathname))
    await page.getByTestId('doc-state').filter({ hasText: '草稿' }).waitFor()
    assert.equal(await page.inputValue('input[data-testid="field-docNumber"]'), docNumber)
    await screenshot(page, 'portal-editor-draft')

    await page.getByTestId('submit-review').click()
    await page.waitForURL((u) => u.pathname === '/office/portal')
    await page.locator('.el-table__row', { hasText: title }).filter({ hasText: '审核中' }).waitFor()
    await logout(page)

    // 2. 初审 by the department reviewer, 3. 终审 by the director, which publishes.
    await loginTo(page, 'reviewer', '/office/portal/review')
    await page.getByTestId('review-queue').waitFor()
    await approveFromQueue(page, title)
    await logout(page)

    await loginTo(page, 'director', '/office/portal/review')
    await page.getByTestId('review-queue').waitFor()
    await screenshot(page, 'portal-review-queue')
    await approveFromQueue(page, title)
    await logout(page)

    // 4. An anonymous visitor finds it in 政府文件 and opens it.
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('portal-nav').getByText('政府文件', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/channels/files')
    const link = page.getByTestId('channel-list').getByText(title, { exact: true })
    await pollFor(page, link, () => page.getByTestId('channel-title').waitFor())
    await screenshot(page, 'portal-files-channel')
    await link.click()
    await page.waitForURL((u) => u.pathname.startsWith('/items/'))
    assert.equal((await page.getByTestId('item-title').textContent()).trim(), title)
    const meta = page.getByTestId('policy-meta')
    await meta.waitFor()
    assert.equal((await meta.getByTestId('policy-docNumber').textContent()).trim(), docNumber)
    assert.match(await meta.textContent(), /省人民政府办公厅/)
    assert.match(await meta.textContent(), /有效/)
    assert.match(await page.getByTestId('item-body').textContent(), /政务信息公开工作/)
    assert.equal(await page.getByTestId('portal-login').count(), 1, 'the visitor is anonymous')
    await screenshot(page, 'portal-item-policy')
  })
})

test('the portal home lists the columns; the library asks anonymous readers to log in', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/`)
    for (const key of ['leaders', 'files', 'news']) {
      await page.getByTestId(`column-${key}`).locator('li, .el-empty').first().waitFor()
    }
    await page.getByTestId('column-library').getByText('登录后可见').waitFor()
    await page.getByTestId('portal-nav').getByText('领导文库', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/leaders')
    await page.getByTestId('leaders-page').locator('.leader-card').first().waitFor()
  })
})
