// End-to-end: the print room (文印室). A sealed 通知 reaches 印制 through its
// flow; the printer's 待办 leads to its print job, not to the document, and
// a 同意 of the 印制 task on the document is refused. 赵文印 claims the job,
// proofreads it, checks its seal (the report shows the issuing unit and
// 有效) and marks it done — done is refused before the checks — and the
// document moves on to 核发; GET /documents/{id}/pdf/verify says its file's
// seal is valid. The demo's print job of a sealed 公文 passes its seal check
// too (the seal's demo keys are made before the print room's demo files).

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
  return task
}

test('the printer claims, proofreads, checks the seal of and finishes a sealed 通知; the document goes on to 核发', async (t) => {
  const title = `关于做好全省防汛抗旱工作的通知（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['各市人民政府'], body: `<p>${title}。</p>`, signature: '安徽省人民政府办公厅', printedBy: '安徽省人民政府办公厅秘书处',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal(created.body.sealed, true)
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  for (const who of ['chuzhang', 'director', 'clerk', 'clerk']) await approveByApi(who, id) // 审核 签发 复核 登记编号

  const printer = await apiLogin('printer')
  const job = `doc-${id}`
  // The 印制 task is not approved on the document: the print room's done does it.
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, printer.accessToken)
  const task = (doc.body.tasks ?? []).find((x) => x.node === 'print')
  assert.ok(task, JSON.stringify(doc.body.tasks))
  const direct = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, printer.accessToken, { action: 'approve', opinion: '同意' })
  assert.equal(direct.status, 409, JSON.stringify(direct.body))
  assert.equal(direct.body.code, 'officialdoc_print_room_only')

  await withPage(t, async (page) => {
    // The printer's 待办 leads to the print job.
    await loginTo(page, 'printer', '/office')
    await page.getByTestId('desktop-tasks').getByTestId('desktop-item-title').filter({ hasText: title }).first().click()
    await page.waitForURL(`**/office/print/jobs/${job}`)
    await page.getByTestId('print-job-state').getByText('待印制').waitFor()

    await page.goto(page.url().replace(/\/office\/.*$/, '/office/print'))
    const row = page.getByTestId('print-queue').locator('tr', { hasText: title })
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
    await report.getByTestId('print-job-seal-state').getByText('电子印章：有效').waitFor()
    await report.getByTestId('print-job-seal-unit').getByText('省政府办公厅').waitFor()
    await report.getByText('文件完整：是').waitFor()

    await page.getByTestId('print-job-open-file').click()
    await page.getByTestId('print-job-pdf').waitFor()

    await page.getByTestId('print-job-done').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.getByTestId('print-job-state').getByText('已完成').waitFor()
  })

  const clerk = await apiLogin('clerk')
  const after = await api('GET', `${OFFICE_API}/documents/${id}`, clerk.accessToken)
  assert.deepEqual((after.body.tasks ?? []).map((x) => x.node), ['dispatch'], JSON.stringify(after.body.tasks))
  // The sealed file the print room printed: its seal verifies.
  const verified = await api('GET', `${OFFICE_API}/documents/${id}/pdf/verify`, staff.accessToken)
  assert.equal(verified.status, 200, JSON.stringify(verified.body))
  assert.equal(verified.body.valid, true, JSON.stringify(verified.body))
  assert.equal(verified.body.unitName, '省政府办公厅')
})

test('the demo’s print job of a sealed 公文 passes its seal check', async () => {
  const { accessToken } = await apiLogin('printer')
  const list = await api('GET', `${OFFICE_API}/print/jobs?kind=document&size=100`, accessToken)
  assert.equal(list.status, 200, JSON.stringify(list.body))
  const demo = list.body.items.find((j) => j.title === '关于商请支持政务数据共享工作的函')
  assert.ok(demo, `the demo's job: ${JSON.stringify(list.body.items.map((j) => j.title))}`)
  assert.equal(demo.sealed, true)
  const verified = await api('GET', `${OFFICE_API}/documents/${demo.document}/pdf/verify`, accessToken)
  assert.equal(verified.body.valid, true, JSON.stringify(verified.body))
  if (demo.state === 'queued') assert.equal((await api('POST', `${OFFICE_API}/print/jobs/${demo.id}/claim`, accessToken)).status, 200)
  const r = await api('POST', `${OFFICE_API}/print/jobs/${demo.id}/seal-check`, accessToken)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  assert.equal(r.body.sealCheck.ok, true, JSON.stringify(r.body.sealCheck))
  assert.equal(r.body.sealCheck.report.valid, true)
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
