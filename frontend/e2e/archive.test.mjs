// End-to-end: the archive (档案). The archivist 林秀兰 searches the
// catalogue, opens a record (its parts with their SHA-256, its events) and
// runs the fixity check; then a byte of a stored part is changed straight
// in the database (sqlite3 on the server's data directory, when the script
// that started the server names it) and the check reports it on the
// record page and in the catalogue.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, printByApi, useBrowser, withPage } from './browser.mjs'

useBrowser()

test('the archivist finds a record and checks its fixity', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'archivist', '/office/archive')
    const table = page.getByTestId('archive-table')
    await table.getByTestId('archive-no').first().waitFor()
    await page.getByTestId('archive-q').fill('政务信息工作总结')
    await page.getByTestId('archive-apply').click()
    await table.getByTestId('archive-title').filter({ hasText: '关于报送2025年度政务信息工作总结的函' }).waitFor()
    assert.equal(await table.getByTestId('archive-no').count(), 1)
    await table.getByTestId('archive-no').click()

    await page.getByTestId('record-meta').getByText('定期10年').first().waitFor() // a 函: 10 years by default
    assert.equal(await page.getByTestId('record-part').count(), 4) // the document, revisions, flow log, PDF
    await page.getByTestId('record-events').getByText('归档').first().waitFor()
    const check = answered(page, 'POST', '/fixity')
    await page.getByTestId('record-check').click()
    await expectAnswer(check, 'the fixity check')
    await page.getByTestId('record-fixity').getByText('完好').waitFor()
  })
})

test('the clerk archives a dispatched 发文 from its 归档 task, choosing 永久', async (t) => {
  const title = `关于印发政务档案管理办法的通知（测试${Date.now() % 100000}）`
  const who = {}
  for (const u of ['staff', 'chuzhang', 'director', 'clerk', 'printer']) {
    const tokens = await apiLogin(u)
    const me = await api('GET', `${OFFICE_API}/me`, tokens.accessToken)
    who[me.body.user.id] = tokens.accessToken
  }
  const staff = Object.values(who)[0]
  const draft = await api('POST', `${OFFICE_API}/documents`, staff, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['厅机关各处室'], body: `<p>${title}</p>`, signature: '安徽省人民政府办公厅',
  })
  assert.equal(draft.status, 201, JSON.stringify(draft.body))
  const id = draft.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff)).status, 200)
  for (let i = 0; i < 10; i++) {
    const doc = await api('GET', `${OFFICE_API}/documents/${id}`, staff)
    const task = doc.body.tasks?.[0]
    if (!task || task.node === 'archive') break
    if (task.node === 'print') {
      await printByApi(id) // 印制 is the print room's job
      continue
    }
    const r = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, who[task.assignee], { action: 'approve', opinion: '同意' })
    assert.equal(r.status, 200, `${task.nodeName}: ${JSON.stringify(r.body)}`)
  }
  await withPage(t, async (page) => {
    await loginTo(page, 'clerk', `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel')
    await panel.getByText('办理：归档').waitFor()
    await panel.getByTestId('archive-retention-select').click()
    await page.locator('.el-select-dropdown__item', { hasText: /^永久$/ }).click()
    const archived = answered(page, 'POST', '/archive/records')
    await panel.getByTestId('task-approve').click()
    await expectAnswer(archived, '归档')
    // The toast and the flow's 归档 step both say it (the toast may outlive the flow's refresh).
    await page.getByText(/已归档，档号 Z001-\d{4}-Y-\d{4}/).first().waitFor()
    await panel.waitFor({ state: 'detached' })
  })
  const rec = await api('GET', `${OFFICE_API}/archive/records/${id}`, staff)
  assert.equal(rec.status, 200, JSON.stringify(rec.body))
  assert.equal(rec.body.retention, '永久')
})

test('a part changed in the database fails the fixity check, on the record and in the catalogue', async (t) => {
  const data = process.env.ZHENGWU_E2E_DATA
  if (!data) {
    t.skip('ZHENGWU_E2E_DATA (the server data directory) is not set')
    return
  }
  const tokens = await apiLogin('archivist')
  const list = await api('GET', `${OFFICE_API}/archive/records?q=${encodeURIComponent('一网通办')}`, tokens.accessToken)
  assert.equal(list.status, 200, JSON.stringify(list.body))
  const id = list.body.items[0].id
  const rec = await api('GET', `${OFFICE_API}/archive/records/${id}`, tokens.accessToken)
  const pdf = rec.body.parts.find((p) => p.kind === 'pdf')
  // The PDF's first chunk in the media store: its first bytes replaced.
  execFileSync('sqlite3', [
    join(data, 'zhengwu.db'),
    `UPDATE docs SET data = json_set(data, '$.data', 'AAAA' || substr(json_extract(data, '$.data'), 5))
     WHERE collection = 'media_chunks' AND id = '${pdf.media}/000000';`,
  ])
  await withPage(t, async (page) => {
    await loginTo(page, 'archivist', `/office/archive/records/${id}`)
    const check = answered(page, 'POST', '/fixity')
    await page.getByTestId('record-check').click()
    await expectAnswer(check, 'the fixity check')
    await page.getByTestId('record-fixity').getByText('校验不符').waitFor()
    await page.getByTestId('record-broken').waitFor()
    await page.getByTestId('record-events').getByText(pdf.name).waitFor()
    await page.goto(page.url().replace(/\/office\/archive\/records\/.*/, '/office/archive'))
    await page.getByTestId('archive-broken').first().waitFor()
  })
})

test('an imported old record shows 「导入」, its source and its original, and passes the fixity check', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'archivist', '/office/archive')
    const table = page.getByTestId('archive-table')
    await table.getByTestId('archive-no').first().waitFor()
    await page.getByTestId('archive-q').fill('机关档案工作')
    await page.getByTestId('archive-apply').click()
    await table.getByTestId('archive-title').filter({ hasText: '关于进一步加强机关档案工作的通知' }).waitFor()
    assert.equal(await table.getByTestId('archive-no').count(), 1)
    await table.getByTestId('archive-imported').waitFor()
    await page.screenshot({ path: new URL('../../docs/screenshots/archive-imported-catalogue.png', import.meta.url).pathname })
    await table.getByTestId('archive-no').click()

    await page.getByTestId('record-imported').waitFor()
    await page.getByTestId('record-source').getByText('综合处旧档案/2016年档案目录.csv 第 2 行').waitFor()
    await page.getByTestId('record-provenance').waitFor()
    assert.equal(await page.getByTestId('record-part').count(), 1) // the original alone
    await page.getByTestId('record-parts').getByText('原件（导入）').waitFor()
    await page.getByTestId('record-events').getByText('导入').first().waitFor()
    const check = answered(page, 'POST', '/fixity')
    await page.getByTestId('record-check').click()
    await expectAnswer(check, 'the fixity check')
    await page.getByTestId('record-fixity').getByText('完好').waitFor()
    await page.screenshot({ path: new URL('../../docs/screenshots/archive-imported-record.png', import.meta.url).pathname, fullPage: true })
  })
})
