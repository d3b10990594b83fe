// End-to-end: a 发文 from draft to number (issue 11). 陈晓燕 (staff, 秘书二处)
// drafts a 通知 in the form — the server's field error lands on its field,
// the 文种 rules show beside the selector — names two 会签人 and submits it;
// her head 刘志强 (chuzhang, dept_head of 秘书二处: 审核) approves it with an
// opinion from 我的待办; the 会签人 李文静 (editor) and 周丽 (reviewer) sign;
// 王建国 (director, leader: 签发) signs it off; 张明华 (clerk, doc.register)
// does 复核 and 登记编号, which gives it a number 皖政办〔YYYY〕N号 shown on
// the page; the flow chart and its table show those nodes done and 印制
// current. Screenshots of the draft form and the document page go to
// docs/screenshots/.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BASE_URL, OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, logout, pick, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function documentShot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

/** Picks people by name in a PersonSelect (multiple), then closes its list. */
async function pickPeople(page, testId, names) {
  for (const name of names) {
    await page.getByTestId(testId).click()
    await page.keyboard.type(name)
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: name }).first().click()
  }
  await page.keyboard.press('Escape')
}

/** Signs in as username on the document, does the open task with opinion, waits for the flow to move on to next. */
async function approveAs(page, username, id, node, opinion, next) {
  await loginTo(page, username, `/office/documents/${id}`)
  const panel = page.getByTestId('task-panel').filter({ hasText: node })
  await panel.waitFor()
  await panel.getByTestId('task-opinion').fill(opinion)
  const acted = answered(page, 'POST', /\/tasks\/[^/]+\/actions$/)
  await panel.getByTestId('task-approve').click()
  await expectAnswer(acted, `${username} at ${node}`)
  await page.getByTestId('doc-nodes').filter({ hasText: next }).waitFor()
}

test('a 发文 goes from draft through 会签 and 签发 to its number, the flow chart showing each step', async (t) => {
  const title = `关于做好全省政务服务“一网通办”工作的通知（测试${randomInt(100, 99999)}）`
  let id = ''
  await withPage(t, async (page) => {
    // 1. staff drafts the 通知.
    await loginTo(page, 'staff', '/office/documents/new')
    const form = page.getByTestId('doc-form')
    await form.waitFor()
    // The 文种 selector shows each type's rules inline.
    await form.getByTestId('field-doctype').getByText('请示', { exact: true }).click()
    await page.getByTestId('doctype-rule').filter({ hasText: '一文一事' }).waitFor()
    await form.getByTestId('field-doctype').getByText('纪要', { exact: true }).click()
    await page.getByTestId('doctype-rule').filter({ hasText: '不加盖印章' }).waitFor()
    await form.getByTestId('field-doctype').getByText('通知', { exact: true }).click()

    await page.fill('input[data-testid="field-title"]', title)
    await page.getByTestId('field-mainto').click()
    await page.keyboard.type('各市人民政府')
    await page.keyboard.press('Enter')
    await page.keyboard.type('省政府各部门')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await page.locator('.ProseMirror').click()
    await page.keyboard.type('为深入推进政务服务“一网通办”，现将有关事项通知如下。')
    await page.getByPlaceholder('签发日期').fill('2026-12-06')
    await page.getByPlaceholder('签发日期').press('Enter')
    await pickPeople(page, 'field-cosigners', ['李文静', '周丽'])

    // No 机关代字: the server refuses and names the field, shown on it.
    await page.fill('input[data-testid="field-issuercode"]', '')
    const refused = answered(page, 'POST', '/api/office/v1/documents')
    await page.getByTestId('doc-save-submit').click()
    await expectAnswer(refused, 'a draft without its 机关代字', 400)
    await form.locator('.el-form-item', { has: page.getByTestId('field-issuercode') }).locator('.el-form-item__error').filter({ hasText: '机关代字' }).waitFor()
    await page.getByTestId('doc-preview-frame').waitFor() // the live preview beside the form, in the screenshot
    await documentShot(page, 'documents-draft-form')
    await page.fill('input[data-testid="field-issuercode"]', '皖政办')

    const created = answered(page, 'POST', '/api/office/v1/documents')
    const submitted = answered(page, 'POST', /\/documents\/[^/]+\/submit$/)
    await page.getByTestId('doc-save-submit').click()
    id = (await (await expectAnswer(created, 'create')).json()).id
    await expectAnswer(submitted, 'submit')
    await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
    await page.getByTestId('doc-nodes').filter({ hasText: '审核' }).waitFor()
    await page.getByTestId('doc-holders').filter({ hasText: '刘志强' }).waitFor()
    await logout(page)

    // 2. 审核: the head of 秘书二处 finds it in 我的待办, and on his desktop, whose link opens it.
    await loginTo(page, 'chuzhang', '/office/documents')
    await page.getByTestId('doc-tasks').getByText(title).waitFor()
    await page.goto(`${BASE_URL}/office`)
    await page.getByTestId('desktop-tasks').getByTestId('desktop-item-title').filter({ hasText: title }).click()
    await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel').filter({ hasText: '审核' })
    await panel.getByTestId('task-opinion').fill('同意，请有关处室会签。')
    await panel.getByTestId('task-approve').click()
    await page.getByTestId('doc-nodes').filter({ hasText: '会签' }).waitFor()
    await logout(page)

    // 3. 会签 (all must sign), 4. 签发, 5. 复核.
    await approveAs(page, 'editor', id, '会签', '信息处无不同意见。', '会签')
    await logout(page)
    await approveAs(page, 'reviewer', id, '会签', '同意。', '签发')
    await logout(page)
    await approveAs(page, 'director', id, '签发', '同意印发。', '复核')
    await page.getByTestId('doc-signer').filter({ hasText: '王建国' }).waitFor()
    await logout(page)
    await approveAs(page, 'clerk', id, '复核', '格式无误。', '登记编号')

    // 6. 登记编号 gives the number, on the page at once.
    const panelNo = page.getByTestId('task-panel').filter({ hasText: '登记编号' })
    const numbered = answered(page, 'POST', /\/tasks\/[^/]+\/actions$/)
    await panelNo.getByTestId('task-approve').click()
    const view = await (await expectAnswer(numbered, '登记编号')).json()
    assert.match(view.docNumber, /^皖政办〔\d{4}〕\d+号$/)
    await page.getByTestId('doc-number').filter({ hasText: view.docNumber }).waitFor()
    await page.getByTestId('doc-nodes').filter({ hasText: '印制' }).waitFor()

    // The flow chart: every step so far done, 印制 current; the table says the same in words.
    for (const node of ['draft', 'review', 'cosign', 'sign', 'recheck', 'register']) {
      await page.locator(`[data-testid="flow-node-${node}"][data-state="done"]`).waitFor()
    }
    await page.locator('[data-testid="flow-node-print"][data-state="current"]').waitFor()
    const steps = page.getByTestId('flow-steps')
    for (const text of ['同意，请有关处室会签。', '信息处无不同意见。', '同意印发。', '格式无误。', '王建国', '周丽', '李文静']) {
      await steps.getByText(text).first().waitFor()
    }
    await page.locator('.el-message').first().waitFor({ state: 'detached' }) // a clean picture
    await documentShot(page, 'documents-page-flow')
  })
})

/** Creates and submits a 通知 as staff through the API; returns its id. */
async function submittedByStaff(title) {
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['厅机关各处室'], body: '<p>现将有关事项通知如下。</p>',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const submitted = await api('POST', `${OFFICE_API}/documents/${created.body.id}/submit`, staff.accessToken)
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body))
  return created.body.id
}

test('a task is returned to the drafter, submitted again, transferred; a stale 同意 is told someone acted first; the last step is withdrawn', async (t) => {
  const id = await submittedByStaff(`关于报送年度工作总结的通知（测试${randomInt(100, 99999)}）`)
  await withPage(t, async (page) => {
    // 退回 to 起草, chosen in the dialog, with an opinion.
    await loginTo(page, 'chuzhang', `/office/documents/${id}`)
    await page.getByTestId('task-opinion').fill('请补充报送时限。')
    await page.getByTestId('task-return').click()
    await pick(page, 'task-return-to', '起草')
    await page.getByTestId('task-dialog-confirm').click()
    await page.getByTestId('doc-nodes').filter({ hasText: '起草' }).waitFor()
    await page.getByTestId('flow-steps').getByText('请补充报送时限。').waitFor()
    await logout(page)

    // The drafter has it back and submits it again.
    await loginTo(page, 'staff', `/office/documents/${id}`)
    await page.getByTestId('task-panel').filter({ hasText: '起草' }).getByTestId('task-approve').filter({ hasText: '重新提交' }).click()
    await page.getByTestId('doc-nodes').filter({ hasText: '审核' }).waitFor()
    await logout(page)

    // 转办 to 李文静, chosen from the address book.
    await loginTo(page, 'chuzhang', `/office/documents/${id}`)
    await page.getByTestId('task-transfer').click()
    await page.getByTestId('task-dialog').locator('.el-select').click()
    await page.keyboard.type('李文静')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '李文静' }).first().click()
    await page.getByTestId('task-dialog-confirm').click()
    await page.getByTestId('doc-holders').filter({ hasText: '李文静' }).waitFor()
    await logout(page)

    // 李文静 opens it; meanwhile the same task is done elsewhere (another tab): her 同意 gets a 409.
    await loginTo(page, 'editor', `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel').filter({ hasText: '审核' })
    await panel.waitFor()
    const editor = await apiLogin('editor')
    const doc = await api('GET', `${OFFICE_API}/documents/${id}`, editor.accessToken)
    const task = doc.body.tasks.find((x) => x.node === 'review')
    const elsewhere = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, editor.accessToken, { action: 'approve', opinion: '同意' })
    assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.body))
    const stale = answered(page, 'POST', /\/tasks\/[^/]+\/actions$/)
    await panel.getByTestId('task-approve').click()
    await expectAnswer(stale, 'the stale 同意', 409)
    await page.locator('.el-message').filter({ hasText: '已被他人办理，请刷新' }).waitFor()
    // Reloaded: the document has moved on to 签发 and her panel is gone.
    await page.getByTestId('doc-nodes').filter({ hasText: '签发' }).waitFor()
    await panel.waitFor({ state: 'detached' })

    // Nobody has acted at 签发 yet: she may withdraw her 同意, and 审核 is hers again.
    await page.getByTestId('doc-withdraw').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.getByTestId('task-panel').filter({ hasText: '审核' }).waitFor()
    await page.getByTestId('doc-nodes').filter({ hasText: '审核' }).waitFor()
  })
})

test('a 会签 holder adds a co-signer (加签) chosen from the address book', async (t) => {
  const staff = await apiLogin('staff')
  const people = await api('GET', `${OFFICE_API}/org/people`, staff.accessToken)
  const idOf = (name) => people.body.items.find((p) => p.name === name).id
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '意见', title: `关于加强政务公开标准化建设的意见（测试${randomInt(100, 99999)}）`,
    classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办', mainTo: ['各市人民政府'], cosigners: [idOf('李文静')],
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  const head = await apiLogin('chuzhang')
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, head.accessToken)
  const review = doc.body.tasks.find((x) => x.node === 'review')
  assert.equal((await api('POST', `${OFFICE_API}/tasks/${review.id}/actions`, head.accessToken, { action: 'approve', opinion: '同意' })).status, 200)

  await withPage(t, async (page) => {
    await loginTo(page, 'editor', `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel').filter({ hasText: '会签' })
    await panel.getByTestId('task-cosign').click()
    await page.getByTestId('task-dialog').locator('.el-select').click()
    await page.keyboard.type('周丽')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '周丽' }).first().click()
    await page.getByTestId('task-dialog-confirm').click()
    // Both must sign now: she still holds her task, 周丽 holds a new one.
    await page.getByTestId('doc-holders').filter({ hasText: '周丽' }).filter({ hasText: '李文静' }).waitFor()
    await panel.waitFor()
  })
})
