// End-to-end: the department information platform and the gateway to the
// portal (issue 5). An editor of 信息处 writes a 工作动态 for the portal (非密),
// designates it to 政务要闻 and submits it; the director (office-wide reviewer
// and portal publisher) approves it and approves it for the portal; the editor
// signs in from the portal's 登录 entry (single sign-on) and lands on the office
// desktop, whose department platform shows the item; finally an anonymous
// visitor finds it in 政务要闻 and in portal search (the gateway is
// asynchronous, so both are polled).
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import {
  BASE_URL,
  answered,
  expectAnswer,
  loginFromPortal,
  loginTo,
  logout,
  pick,
  pollFor,
  screenshot,
  useBrowser,
  withPage,
} from './browser.mjs'

useBrowser()

test('an editor writes an update, it is approved, it appears on the portal and in portal search', async (t) => {
  const n = randomInt(100, 99999)
  const title = `信息处召开政务信息报送工作推进会（测试${n}）`
  const body = '会议总结了今年以来政务信息报送工作，部署了下一阶段重点任务。'

  await withPage(t, async (page) => {
    // 1. The editor (信息处) writes a 工作动态 for the portal, 非密, and submits it.
    await loginTo(page, 'editor', '/office/info/new')
    const form = page.getByTestId('info-form')
    await form.waitFor()
    // Her department is preselected once /me has loaded.
    await form.getByTestId('field-department').filter({ hasText: '信息处' }).waitFor()
    await form.getByTestId('field-kind').getByText('工作动态', { exact: true }).click()
    await page.fill('input[data-testid="field-title"]', title)
    await page.fill('textarea[data-testid="field-summary"]', '信息处部署下一阶段政务信息报送工作。')
    await form.getByTestId('field-classification').getByText('非密', { exact: true }).click()
    await form.getByTestId('field-audience').getByText('门户', { exact: true }).click()
    // The department's editor designates the portal channel (the server lets only
    // info.item.edit holders of the department do that).
    await pick(page, 'field-channel', '政务要闻')
    await page.locator('.ProseMirror').click()
    await page.keyboard.type(body)
    await screenshot(page, 'info-compose')

    const created = answered(page, 'POST', '/info/items')
    const designated = answered(page, 'POST', '/designate')
    const submitted = answered(page, 'POST', '/submit')
    await page.getByTestId('info-save-submit').click()
    await expectAnswer(created, 'create')
    await expectAnswer(designated, 'designate')
    await expectAnswer(submitted, 'submit')
    await page.waitForURL((u) => /^\/office\/info\/items\/[^/]+$/.test(u.pathname))
    const itemPath = new URL(page.url()).pathname
    await page.getByTestId('info-state').filter({ hasText: '待审核' }).waitFor()
    assert.equal((await page.getByTestId('info-classification').textContent()).trim(), '非密')
    assert.equal((await page.getByTestId('info-audience').textContent()).trim(), '门户')
    // The editor's list (本处室) shows it with its 密级.
    await page.getByTestId('office-menu').getByText('信息', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/office/info')
    const row = page.locator('.el-table__row', { hasText: title })
    await pollFor(page, row, () => page.getByTestId('info-table').waitFor())
    assert.equal((await row.first().getByTestId('info-row-classification').textContent()).trim(), '非密')
    await screenshot(page, 'info-editor-list')
    await logout(page)

    // 2. The director approves it (全办) and approves it for the portal (unless an
    //    auto-publish rule already did).
    await loginTo(page, 'director', itemPath)
    await page.getByTestId('info-detail-title').filter({ hasText: title }).waitFor()
    const approved = answered(page, 'POST', '/approve')
    await page.getByTestId('info-approve').click()
    await expectAnswer(approved, 'approve')
    await page.getByTestId('info-state').filter({ hasText: '已发布' }).waitFor()

    await page.getByTestId('info-portal-channel').filter({ hasText: '政务要闻' }).waitFor()
    const status = page.getByTestId('info-portal-status')
    if ((await status.textContent()).trim() !== '已批准发布到门户') {
      const portalApproved = answered(page, 'POST', '/portal-approve')
      await page.getByTestId('info-portal-approve').click()
      await expectAnswer(portalApproved, 'portal-approve')
    }
    await status.filter({ hasText: '已批准发布到门户' }).waitFor()
    await screenshot(page, 'info-director-approved')
    await logout(page)

    // 3. Single sign-on: 登录 on the portal lands on the office desktop with the
    //    same session, and the desktop shows the department platform.
    await page.goto(`${BASE_URL}/`)
    await loginFromPortal(page, 'editor', '/office')
    const dept = page.getByTestId('desktop-panel-info.department')
    await dept.waitFor()
    await pollFor(page, dept.getByTestId('desktop-item-title').filter({ hasText: title }), () => dept.waitFor())
    // The same session reaches the portal: its header offers the office instead of 登录.
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('portal-office').waitFor()
    assert.equal(await page.getByTestId('portal-login').count(), 0)
    await page.getByTestId('portal-office').click()
    await page.waitForURL((u) => u.pathname === '/office')
    await page.getByTestId('desktop-panel-info.department').waitFor()
    await screenshot(page, 'info-desktop-editor')
    await logout(page)

    // 4. Anonymous: the gateway carries it to 政务要闻 and the portal index.
    await page.goto(`${BASE_URL}/channels/news`)
    await page.getByTestId('channel-title').waitFor()
    const link = page.getByTestId('channel-list').getByText(title, { exact: true })
    await pollFor(page, link, () => page.getByTestId('channel-title').waitFor())
    await screenshot(page, 'info-portal-news')
    await link.first().click()
    await page.waitForURL((u) => u.pathname.startsWith('/items/'))
    assert.equal((await page.getByTestId('item-title').textContent()).trim(), title)
    assert.match(await page.getByTestId('item-body').textContent(), /政务信息报送工作/)
    assert.equal(await page.getByTestId('portal-login').count(), 1, 'the visitor is anonymous')

    await page.goto(`${BASE_URL}/search?q=${encodeURIComponent(title)}`)
    await page.getByTestId('search-page').waitFor()
    const hit = page.getByTestId('search-hit-title').filter({ hasText: title })
    await pollFor(page, hit, () => page.getByTestId('search-heading').waitFor())
    await screenshot(page, 'info-portal-search')
  })
})

test('the security administrator adds and deletes an auto-publish rule', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'secadmin', '/office/info/rules')
    await page.getByTestId('rules-table').waitFor()
    // 督查室's 简报: no other test writes those, so the rule cannot change their outcome.
    const row = page.locator('.el-table__row', { hasText: '督查室' }).filter({ hasText: '简报' })
    assert.equal(await row.count(), 0)
    await pick(page, 'rule-department', '督查室')
    await pick(page, 'rule-kind', '简报')
    await pick(page, 'rule-channel', '政务要闻')
    const added = answered(page, 'POST', '/info/rules')
    await page.getByTestId('rule-add').click()
    await expectAnswer(added, 'add rule')
    await row.filter({ hasText: '政务要闻' }).waitFor()
    await screenshot(page, 'info-rules')

    const deleted = answered(page, 'DELETE', /\/info\/rules\/[^/]+$/)
    await row.getByTestId('rule-delete').click()
    await page.locator('.el-popconfirm:visible').getByText('删除', { exact: true }).click()
    await expectAnswer(deleted, 'delete rule')
    await row.waitFor({ state: 'detached' })
  })
})

test('administrators see the gateway status, refreshed every 5 s', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'sysadmin', '/office/info/gateway')
    await page.getByTestId('gateway-status').waitFor()
    for (const k of ['lag', 'crossed', 'refused', 'withdrawn']) {
      assert.match(await page.getByTestId(`gateway-${k}`).textContent(), /\d/)
    }
    const polls = []
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/office/v1/gateway/status') polls.push(r.status())
    })
    await page.waitForTimeout(5_600)
    assert.ok(polls.length >= 1, 'the page polls the status again within 5 s')
    assert.ok(polls.every((s) => s === 200), `status answers: ${polls}`)
    await screenshot(page, 'info-gateway-status')
  })
})
