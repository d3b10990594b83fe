// End-to-end: internal mail (邮件). 李文静 (editor) writes to 周丽 (reviewer)
// and 张明华 (clerk) with an attachment; 周丽 reads it and opens the file;
// 李文静 recalls it: 张明华's unread copy is taken back, 周丽 had read it.
// Then the XSS corpus as a mail's body renders inert in the reader.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, logout, pick, useBrowser, withPage } from './browser.mjs'
import { XSS_TEXT, assertInert, watchDialogs } from './xss.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')
const shot = async (page, name) => {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `mail-${name}.png`), fullPage: true })
}

test('a mail with an attachment is sent, read and recalled', async (t) => {
  const subject = `周例会材料（${randomInt(1e6)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'editor', '/office/mail')
    await page.getByTestId('mail-write').click()
    await pick(page, 'mail-to', '周丽')
    await page.locator('.el-select-dropdown__item:visible').getByText('张明华', { exact: true }).first().click()
    await page.locator('.el-dialog__title').click() // closes the list
    await page.getByTestId('mail-subject').fill(subject)
    await page.getByTestId('mail-receipt').click()
    await page.getByTestId('rich-text').locator('[contenteditable]').fill('请于周五前阅读附件中的会议材料。')
    const uploaded = answered(page, 'POST', '/media')
    await page.getByTestId('mail-file').setInputFiles({ name: '会议材料.txt', mimeType: 'text/plain', buffer: Buffer.from(`第一项：工作回顾 ${subject}\n`) })
    await expectAnswer(uploaded, 'upload')
    await page.getByTestId('mail-compose').getByText('会议材料.txt').waitFor()
    await shot(page, 'compose')
    const sent = answered(page, 'POST', '/mail')
    await page.getByTestId('mail-send').click()
    await expectAnswer(sent, 'send', 201)
    await logout(page)

    await loginTo(page, 'reviewer', '/office/mail')
    await page.getByTestId('mail-rows').getByText(subject).click()
    await page.getByTestId('mail-body').getByText('请于周五前阅读').waitFor()
    const link = page.getByTestId('mail-attachments').locator('a', { hasText: '会议材料.txt' })
    const href = await link.getAttribute('href')
    const file = await page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).status, href)
    assert.equal(file, 200, 'the recipient downloads the attachment')
    await shot(page, 'reader')
    await logout(page)

    await loginTo(page, 'editor', '/office/mail')
    await page.getByTestId('mail-folder-sent').click()
    await page.getByTestId('mail-rows').getByText(subject).click()
    await page.getByTestId('mail-states').getByText('已读').waitFor()
    await page.getByTestId('mail-recall').click()
    const recalled = answered(page, 'POST', '/recall')
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await expectAnswer(recalled, 'recall')
    const result = page.getByRole('dialog', { name: '撤回结果' })
    await result.getByText('已撤回：张明华；已阅读（无法撤回）：周丽').waitFor()
    await result.getByRole('button', { name: '确定' }).click()
    await page.getByTestId('mail-states').getByText('已撤回').waitFor()
    await shot(page, 'recalled')
  })
  // 张明华's copy is gone; so is his way to the file.
  const clerk = await apiLogin('clerk')
  const inbox = await api('GET', `${OFFICE_API}/mail/inbox?size=100`, clerk.accessToken)
  assert.ok(!inbox.body.items.some((e) => e.subject === subject), 'the recalled copy is still in the inbox')
})

test('the XSS corpus in a mail body renders inert', async (t) => {
  const editor = await apiLogin('editor')
  const people = await api('GET', `${OFFICE_API}/org/people`, editor.accessToken)
  const zhou = people.body.items.find((p) => p.name === '周丽')
  const r = await api('POST', `${OFFICE_API}/mail`, editor.accessToken, {
    to: [{ userId: zhou.id }], subject: `安全过滤测试（${randomInt(1e6)}）`, body: XSS_TEXT.split('\n').map((l) => `<p>${l}</p>`).join('') + XSS_TEXT,
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await withPage(t, async (page) => {
    const dialogs = watchDialogs(page)
    await loginTo(page, 'reviewer', `/office/mail/message/${r.body.message.id}`)
    await page.getByTestId('mail-body').getByText('测试安全过滤').first().waitFor()
    await assertInert(page, '[data-testid="mail-body"]', dialogs)
  })
})
