// End-to-end: the flow editor (流程定义). The business administrator
// (officeadmin, 业务管理员) opens the 发文 flow, adds a 法制审核 node after
// 是否会签, checks it (the server marks the unwired node), wires it in with
// a condition, saves it as version 2 and activates it. The working calendar
// shows the 2026 Spring Festival.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const node = (page, id) => page.locator(`.vue-flow__node[data-id="${id}"]`)

// Drags a connection from one node's source handle to another's target handle.
async function wire(page, from, to) {
  const src = await node(page, from).locator('.vue-flow__handle.source').boundingBox()
  const dst = await node(page, to).locator('.vue-flow__handle.target').boundingBox()
  assert.ok(src && dst, `handles of ${from} and ${to} are on screen`)
  await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2)
  await page.mouse.down()
  await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 12 })
  await page.mouse.up()
}

test('the business administrator adds a node and saves a new version', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'officeadmin', '/office/flows')
    await page.getByTestId('flow-edit-outgoing').click()
    await node(page, 'needs_cosign').waitFor()

    // A 办理 node below 是否会签, named, 或签 by the doc.register permission.
    await node(page, 'needs_cosign').click()
    await page.getByTestId('flow-add-node').click()
    const form = page.getByTestId('flow-node-form')
    await form.getByText('节点 task1').waitFor()
    await page.getByTestId('node-name').fill('法制审核')
    await page.getByTestId('node-mode').getByText('或签').click()

    // Not wired yet: 校验 marks it, saying why.
    await page.getByTestId('flow-check').click()
    await node(page, 'task1').and(page.locator('.has-error')).waitFor()
    await form.locator('.el-alert', { hasText: 'task1' }).waitFor() // no edge out yet

    // 是否会签 → 法制审核 when docType == 请示; 法制审核 → 签发 (the whole
    // flow in view first: 签发 begins the canvas's second band).
    await page.locator('.vue-flow__controls-fitview').click()
    await wire(page, 'needs_cosign', 'task1')
    await page.getByTestId('edge-field').fill('docType')
    await page.getByTestId('edge-value').fill('请示')
    await wire(page, 'task1', 'sign')
    await page.getByTestId('flow-check').click()
    await page.getByTestId('flow-checked').getByText('校验通过，可保存为第 2 版').waitFor()

    await page.getByTestId('flow-save').click()
    await page.locator('.el-message', { hasText: '已保存为第 2 版' }).waitFor()
    await node(page, 'task1').getByText('法制审核（或签）').waitFor()
    await page.getByTestId('flow-activate').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('.el-message', { hasText: '已启用第 2 版' }).waitFor()
    await page.getByTestId('flow-editor').getByText('启用中').waitFor()

    // The working calendar of 2026: the Spring Festival off, 14 February worked.
    await page.goto(page.url().replace(/\/office\/.*$/, '/office/calendar'))
    await page.getByTestId('calendar-year').locator('input').fill('2026')
    await page.getByTestId('calendar-year').locator('input').press('Enter')
    await page.locator('[data-date="2026-02-17"][data-kind="holiday"]').waitFor()
    await page.locator('[data-date="2026-02-14"][data-kind="makeup"]').waitFor()
    await page.getByTestId('calendar-origin').getByText('国务院办公厅通知').waitFor()
  })
})
