// End-to-end: the 公文 screens beyond draft-to-number (issue 11).
// 1. A 收文 through 批办: the director (王建国) chooses 秘书二处 to lead and
//    two 传阅 readers in the task panel; after 承办 one reader (张明华,
//    clerk) marks 已阅 and the document shows 已阅 1 / 2.
// 2. 公文查询 finds a numbered 发文 by its 文号 typed with square brackets.
// 3. A draft edited twice in the form shows its revisions, and the diff
//    between the last two marks what was inserted and deleted; a stale
//    edit says so and reloads.
// 4. Exchange, live: a 发文 whose 主送 is 合肥市人民政府办公室 is dispatched
//    (核发) by the clerk in the browser; 合肥's 收发员 (孙丽娟, hfclerk) has
//    her desktop open in another browser context, and the new 收文 appears
//    in its 待办 without a reload; the 发文 shows its receipt 已送达.
// 5. Attachments in the draft form: two files uploaded at once, a refused
//    one with the server's reason, one removed; the document's reader (a
//    知悉范围 member) downloads it through the media cookie, someone
//    outside cannot.
// 6. 催办 and 终止 from the document page, with their dialogs.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, logout, printByApi, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** Approves username's open task on document id through the API (the steps the test is not about). */
async function approveByApi(username, id, node) {
  const { accessToken } = await apiLogin(username)
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, accessToken)
  assert.equal(doc.status, 200, JSON.stringify(doc.body))
  const me = await api('GET', `${OFFICE_API}/me`, accessToken)
  const task = (doc.body.tasks ?? []).find((t) => t.assignee === me.body.user.id && (!node || t.node === node))
  assert.ok(task, `${username} holds no ${node} task on ${id}: ${JSON.stringify(doc.body.tasks)}`)
  const r = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, accessToken, { action: 'approve', opinion: '同意' })
  assert.equal(r.status, 200, `${username} at ${node}: ${JSON.stringify(r.body)}`)
}

/** Picks an option by its text in an Element Plus select (typing to filter it). */
async function choose(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.keyboard.type(text)
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click()
}

test('a 收文 through 批办 with two readers: one marks 已阅 and the document shows 1 of 2 read', async (t) => {
  const title = `关于报送营商环境评估材料的函（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'incoming', docType: '函', title, classification: '非密', issuer: '省发展和改革委员会',
    mainTo: ['安徽省人民政府办公厅'], body: `<p>${title}，请于月底前报送。</p>`,
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  for (const [who, node] of [['clerk', 'receive'], ['clerk', 'register'], ['reviewer', 'screen'], ['chuzhang', 'propose']]) await approveByApi(who, id, node)

  await withPage(t, async (page) => {
    // 批办: the director's panel asks for the 承办 and 传阅 choice; without it the fields say what is missing.
    await loginTo(page, 'director', `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel').filter({ hasText: '批办' })
    await panel.waitFor()
    await panel.getByTestId('task-approve').click()
    await panel.locator('.el-form-item__error').filter({ hasText: '请选择主办处室' }).waitFor()
    await panel.locator('.el-form-item__error').filter({ hasText: '请选择传阅人员' }).waitFor()

    await choose(page, 'decide-lead', '秘书二处')
    await choose(page, 'decide-assist', '信息处')
    await panel.getByText('办理：批办').click() // closes the list
    for (const name of ['张明华', '李文静']) await choose(page, 'decide-readers', name)
    await panel.getByText('办理：批办').click()
    await panel.getByTestId('task-opinion').fill('请秘书二处牵头办理，信息处协办。')
    const decided = answered(page, 'POST', /\/tasks\/[^/]+\/actions$/)
    await panel.getByTestId('task-approve').click()
    const body = JSON.parse((await expectAnswer(decided, '批办')).request().postData() ?? '{}')
    assert.equal(body.leadDepartment, 'mishu2')
    assert.equal(body.readers.length, 2)
    await page.getByTestId('doc-handling').filter({ hasText: '秘书二处' }).waitFor()
    await page.getByTestId('doc-read-count').filter({ hasText: '已阅 0 / 2' }).waitFor()
    await logout(page)

    // 承办 by the head of 秘书二处, then 传阅: the clerk's 待阅 on the desktop links to the document, whose panel says 已阅.
    await approveByApi('chuzhang', id, 'handle')
    await loginTo(page, 'clerk', '/office')
    await page.getByTestId('desktop-toread').getByTestId('desktop-item-title').filter({ hasText: title }).click()
    await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
    const read = page.getByTestId('task-panel').filter({ hasText: '传阅' })
    await read.getByTestId('task-approve').filter({ hasText: '已阅' }).click()
    await page.getByTestId('doc-read-count').filter({ hasText: '已阅 1 / 2' }).waitFor()
    await page.getByTestId('reader-read').filter({ hasText: '张明华' }).waitFor()
    await page.getByTestId('reader-unread').filter({ hasText: '李文静' }).waitFor()
  })
})

test('公文查询 finds a 发文 by its 文号 typed with square brackets', async (t) => {
  // The demo's numbered 发文 (at 印制, 核发 …): read one's number, as the clerk who numbered them.
  const clerk = await apiLogin('clerk')
  const list = await api('GET', `${OFFICE_API}/documents?direction=outgoing`, clerk.accessToken)
  assert.equal(list.status, 200, JSON.stringify(list.body))
  const doc = list.body.items.find((d) => d.docNumber)
  assert.ok(doc, 'the demo has a numbered 发文')
  const square = doc.docNumber.replace('〔', '[').replace('〕', ']')
  assert.notEqual(square, doc.docNumber)

  await withPage(t, async (page) => {
    await loginTo(page, 'clerk', '/office/documents')
    await page.getByTestId('doc-search-link').click()
    await page.waitForURL((u) => u.pathname === '/office/documents/search')
    await page.getByTestId('ds-total').waitFor()
    await page.fill('input[data-testid="ds-q"]', square)
    const searched = answered(page, 'GET', '/api/office/v1/documents/search')
    await page.getByTestId('ds-submit').click()
    await expectAnswer(searched, 'search by 文号')
    const hit = page.getByTestId('ds-hit').filter({ hasText: doc.title })
    await hit.waitFor()
    assert.equal(await hit.getByTestId('ds-hit-number').textContent(), doc.docNumber)
    // The search is in the address: a reload runs it again.
    assert.equal(new URL(page.url()).searchParams.get('q'), square)
    await page.reload()
    await page.getByTestId('ds-hit').filter({ hasText: doc.title }).waitFor()
    // The facet counts stand beside the filters.
    await page.getByTestId('ds-facet-doctype').getByText(doc.docType, { exact: true }).waitFor()
  })
})

test('a draft edited twice shows its revisions and the diff between them', async (t) => {
  const title = `关于开展政务值班检查的通知（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['各市人民政府'], body: '<p>请各市于月底前报送值班安排。</p>', signature: '安徽省人民政府办公厅',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id

  await withPage(t, async (page) => {
    await loginTo(page, 'staff', `/office/documents/${id}`)
    for (const [i, addition] of ['并抄送省应急管理厅', '及带班领导名单'].entries()) {
      await page.getByTestId('doc-edit-link').click()
      await page.waitForURL((u) => u.pathname === `/office/documents/${id}/edit`)
      await page.locator('.ProseMirror').filter({ hasText: '值班安排' }).waitFor()
      await page.locator('.ProseMirror').click()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(addition)
      const saved = answered(page, 'PUT', `/api/office/v1/documents/${id}`)
      await page.getByTestId('doc-update').click()
      await expectAnswer(saved, `edit ${i + 1}`)
      await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
      await page.getByTestId('doc-body').filter({ hasText: addition }).waitFor()
    }
    const revs = page.getByTestId('doc-revisions').getByTestId('rev-n')
    await page.getByTestId('doc-revisions').getByTestId('rev-n').nth(1).waitFor()
    await revs.nth(2).waitFor()
    assert.equal(await revs.count(), 3, 'the draft as written and its two edits')
    await page.getByTestId('rev-diff-prev').last().click()
    const diff = page.getByTestId('rev-diff')
    await diff.getByTestId('rev-ins').filter({ hasText: '及带班领导名单' }).waitFor()
    assert.equal(await diff.getByTestId('rev-del').count(), 0)

    // A stale edit (someone saved since the form was read) says so and offers a reload.
    await page.getByTestId('doc-edit-link').click()
    await page.locator('.ProseMirror').filter({ hasText: '值班安排' }).waitFor()
    const doc = await api('GET', `${OFFICE_API}/documents/${id}`, staff.accessToken)
    const keys = ['direction', 'docType', 'title', 'classification', 'issuer', 'issuerCode', 'mainTo', 'body', 'signature', 'department', 'version']
    const fields = Object.fromEntries(keys.map((k) => [k, doc.body[k]]))
    const other = await api('PUT', `${OFFICE_API}/documents/${id}`, staff.accessToken, { ...fields, title: `${title}（改）` })
    assert.equal(other.status, 200, JSON.stringify(other.body))
    await page.getByTestId('doc-update').click()
    await page.getByTestId('doc-edit-stale').waitFor()
    await page.getByTestId('doc-edit-reload').click()
    await page.waitForFunction((want) => document.querySelector('input[data-testid="field-title"]')?.value === want, `${title}（改）`)
  })
})

test('a 发文 to 合肥 dispatched by the clerk appears live in 合肥 收发员’s 待办', async (t) => {
  const title = `关于做好政务数据共享交换工作的通知（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['合肥市人民政府办公室'], body: `<p>${title}。</p>`, signature: '安徽省人民政府办公厅', printedBy: '安徽省人民政府办公厅秘书处',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  // 审核, 签发, 复核, 登记编号, 印制: up to 核发, the step the test watches.
  for (const who of ['chuzhang', 'director', 'clerk', 'clerk']) await approveByApi(who, id)
  await printByApi(id) // 印制 is the print room's job

  await withPage(t, async (hefei) => {
    await loginTo(hefei, 'hfclerk', '/office')
    await hefei.locator('[data-testid="desktop-live"][data-state="live"]').waitFor()
    await hefei.evaluate(() => {
      window.__sameDocument = true
    })
    const todo = hefei.getByTestId('desktop-tasks').getByTestId('desktop-item-title').filter({ hasText: title })
    assert.equal(await todo.count(), 0, 'nothing to sign for before 核发')

    await withPage(t, async (clerk) => {
      await loginTo(clerk, 'clerk', `/office/documents/${id}`)
      const panel = clerk.getByTestId('task-panel').filter({ hasText: '核发' })
      const dispatched = answered(clerk, 'POST', /\/tasks\/[^/]+\/actions$/)
      await panel.getByTestId('task-approve').click()
      await expectAnswer(dispatched, '核发')
      const receipt = clerk.getByTestId('doc-receipts').locator('tr', { hasText: '合肥市人民政府办公室' })
      await receipt.getByTestId('receipt-state').filter({ hasText: '已送达' }).waitFor()
    })

    await todo.waitFor()
    assert.equal(await hefei.evaluate(() => window.__sameDocument), true, 'the desktop was reloaded')
    // The 收文 says where it came from.
    await todo.click()
    await hefei.getByTestId('doc-from').filter({ hasText: '办公厅' }).waitFor()
  })
})

test('attachments: uploaded in the draft form, refused with the reason, downloaded by a reader only', async (t) => {
  const title = `关于报送值班表的通知（附件测试${randomInt(100, 99999)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/documents/new')
    await page.getByTestId('doc-form').waitFor()
    await page.fill('input[data-testid="field-title"]', title)
    const file = page.locator('[data-testid="doc-attachments-edit"] input[type=file]')
    await file.setInputFiles([
      { name: '值班表.txt', mimeType: 'text/plain', buffer: Buffer.from('一月值班表\n张三 李四\n') },
      { name: '联系人.txt', mimeType: 'text/plain', buffer: Buffer.from('联系人：王五 0551-1234567\n') },
    ])
    await page.getByTestId('att-item').nth(1).waitFor()
    await page.getByTestId('att-name').filter({ hasText: '值班表.txt' }).waitFor()
    // A type the media store does not take: its refusal on the file.
    await file.setInputFiles([{ name: '程序.exe', mimeType: 'application/octet-stream', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }])
    await page.getByTestId('att-error').filter({ hasText: '不支持的文件类型' }).waitFor()
    await page.getByTestId('att-item').filter({ hasText: '联系人.txt' }).getByTestId('att-remove').click()
    assert.equal(await page.getByTestId('att-item').count(), 1)
    await pickPerson(page, 'field-knowers', '张明华')

    const created = answered(page, 'POST', '/api/office/v1/documents')
    await page.getByTestId('doc-save').click()
    const doc = await (await expectAnswer(created, 'save with attachments')).json()
    assert.equal(doc.attachments.length, 1)
    await page.waitForURL((u) => u.pathname === `/office/documents/${doc.id}`)
    // Listed by its name (the file's description), not by its id.
    await page.getByTestId('doc-attachment').filter({ hasText: '值班表.txt' }).waitFor()
    await logout(page)

    // The clerk is in its 知悉范围: the link opens the file (the media cookie carries the session).
    await loginTo(page, 'clerk', `/office/documents/${doc.id}`)
    await page.getByTestId('doc-attachment').filter({ hasText: '值班表.txt' }).waitFor()
    const href = await page.getByTestId('doc-attachment').getAttribute('href')
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' })
      return { status: r.status, text: await r.text() }
    }, href)
    assert.equal(got.status, 200)
    assert.match(got.text, /一月值班表/)
    await logout(page)

    // The editor of 信息处 is not: the same link refuses her.
    await loginTo(page, 'editor', '/office')
    const refused = await page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).status, href)
    assert.ok(refused === 403 || refused === 404, `the editor got ${refused}`)
  })
})

test('催办 and 终止 from the document page', async (t) => {
  const title = `关于调整值班安排的通知（催办测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['各市人民政府'], body: '<p>现将值班安排调整如下。</p>', signature: '安徽省人民政府办公厅',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)

  await withPage(t, async (page) => {
    await loginTo(page, 'staff', `/office/documents/${id}`)
    await page.getByTestId('doc-urge').click()
    const dialog = page.getByTestId('supervise-dialog')
    await dialog.getByTestId('supervise-text').fill('')
    await page.getByTestId('supervise-confirm').click()
    await dialog.locator('.el-form-item__error').filter({ hasText: '请填写催办意见' }).waitFor()
    await dialog.getByTestId('supervise-text').fill('节前务必印发，请抓紧审核。')
    const urged = answered(page, 'POST', `/api/office/v1/documents/${id}/urge`)
    await page.getByTestId('supervise-confirm').click()
    await expectAnswer(urged, '催办')
    const after = await api('GET', `${OFFICE_API}/documents/${id}`, staff.accessToken)
    assert.equal(after.body.tasks[0].urged, 1)

    // 终止: a reason, then a confirmation; the document is 已终止 and its buttons go.
    await page.getByTestId('doc-terminate').click()
    await dialog.getByTestId('supervise-text').fill('情况有变，不再发文。')
    await page.getByTestId('supervise-confirm').click()
    const terminated = answered(page, 'POST', `/api/office/v1/documents/${id}/terminate`)
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
    await expectAnswer(terminated, '终止')
    await page.getByTestId('doc-state').filter({ hasText: '终止' }).waitFor()
    assert.equal(await page.getByTestId('doc-urge').count(), 0)
  })
})

/** Picks one person by name in a PersonSelect (multiple), then closes its list. */
async function pickPerson(page, testId, name) {
  await page.getByTestId(testId).click()
  await page.keyboard.type(name)
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: name }).first().click()
  await page.keyboard.press('Escape')
}
