// End-to-end: the print room (文印室). A 纪要 (it carries no seal) reaches
// 印制 through its flow; its print job appears in the printer's queue; 赵文印
// claims it, proofreads it, checks its seal (the report shows) and marks it
// done — done is refused before the checks — and the document moves on to 核发.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { OFFICE_API, api, apiLogin, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

async function approveByApi(username, id) {
  const { accessToken } = await apiLogin(username)
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, accessToken)
  const me = await api('GET', `${OFFICE_API}/me`, accessToken)
  const task = (doc.body.tasks ?? []).find((t) => t.assignee === me.body.user.id)
  assert.ok(task, `${username} holds no task on ${id}: ${JSON.stringify(doc.body.tasks)}`)
  const r = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, accessToken, { action: 'approve', opinion: '同意' })
  assert.equal(r.status, 200, `${username}: ${JSON.stringify(r.body)}`)
}

test('the printer claims, proofreads, checks the seal of and finishes a document job; the document goes on to 核发', async (t) => {
  const title = `省政府第十次常务会议纪要（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '纪要', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['省政府各部门'], body: `<p>${title}。</p>`, signature: '安徽省人民政府办公厅', printedBy: '安徽省人民政府办公厅秘书处',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  for (const who of ['chuzhang', 'director', 'clerk', 'clerk']) await approveByApi(who, id) // 审核 签发 复核 登记编号

  const printer = await apiLogin('printer')
  const job = `doc-${id}`

  await withPage(t, async (page) => {
    await loginTo(page, 'printer', '/office/print')
    const row = page.getByTestId('print-queue').locator('tr', { hasText: title })
    // The intake makes the job as the document arrives: reload until it shows.
    for (let i = 0; i < 30 && !(await row.count()); i++) {
      await page.waitForTimeout(500)
      await page.getByTestId('print-filter-state').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '未完成' }).click()
    }
    await row.getByTestId('print-claim').click()
    await page.waitForURL(`**/office/print/jobs/${job}`)
    await page.getByTestId('print-job-state').getByText('已领取').waitFor()

    // Done before the checks: the server refuses it, in Chinese.
    const early = await api('POST', `${OFFICE_API}/print/jobs/${job}/done`, printer.accessToken, {})
    assert.equal(early.status, 409, JSON.stringify(early.body))
    assert.equal(early.body.code, 'print_unchecked')
    assert.match(early.body.detail, /校对和印章核验/)
    assert.equal(await page.getByTestId('print-job-done').count(), 0, 'no 印制完成 before the checks')

    await page.getByTestId('print-job-proofread-ok').click()
    await page.getByTestId('print-job-proofread').getByText('通过').waitFor()
    await page.getByTestId('print-job-seal-check').click()
    const report = page.getByTestId('print-job-seal-report')
    await report.getByText('核验通过').waitFor()
    await report.getByText('文件完整：是').waitFor()

    await page.getByTestId('print-job-open-file').click()
    await page.getByTestId('print-job-pdf').waitFor()

    await page.getByTestId('print-job-done').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.getByTestId('print-job-state').getByText('已完成').waitFor()
  })

  const clerk = await apiLogin('clerk')
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, clerk.accessToken)
  assert.deepEqual((doc.body.tasks ?? []).map((t) => t.node), ['dispatch'], JSON.stringify(doc.body.tasks))
})

test('a member of staff sends an ordinary print job and follows its progress', async (t) => {
  const title = `信息工作培训材料（测试${randomInt(100, 99999)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'editor', '/office/print/mine')
    const form = page.getByTestId('print-send')
    await page.getByTestId('print-send-submit').click()
    await form.locator('.el-form-item__error').first().waitFor() // nothing filled: the server names the fields
    await page.getByTestId('print-send-file').setInputFiles({
      name: `${title}.pdf`, mimeType: 'application/pdf',
      buffer: Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`),
    })
    await form.getByText('已上传').waitFor()
    await page.getByTestId('print-send-title').fill(title)
    await page.getByTestId('print-send-submit').click()
    const row = page.getByTestId('print-mine').locator('tr', { hasText: title })
    await row.getByText('待印制').waitFor()
  })
})
