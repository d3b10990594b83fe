// End-to-end: the live preview while drafting (issue 12, item 5). 陈晓燕
// (staff) opens the draft form: the preview pane asks for a title; once
// she types one, the server's GB/T 9704 PDF of the form as it stands
// (POST /documents/preview, nothing saved) shows in the pane; typing on in
// the 正文 refreshes it once she stops (debounced: far fewer requests than
// keystrokes), the request carrying what she typed, a joint issuer too; switching the pane off
// removes it. Nothing is filed by previewing.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const PREVIEW = `${OFFICE_API}/documents/preview`

test('the draft form previews its printed form as the drafter types, saving nothing', async (t) => {
  const title = `关于版式预览的通知（测试${randomInt(100, 99999)}）`
  await withPage(t, async (page) => {
    const requests = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === PREVIEW) requests.push(r.postDataJSON())
    })
    await loginTo(page, 'staff', '/office/documents/new')
    await page.getByTestId('doc-form').waitFor()
    const pane = page.getByTestId('doc-preview')
    await pane.getByTestId('doc-preview-note').filter({ hasText: '填写标题' }).waitFor()

    // A title: one preview, a PDF in the pane.
    const first = answered(page, 'POST', PREVIEW)
    await page.fill('input[data-testid="field-title"]', title)
    const res = await expectAnswer(first, 'the first preview')
    assert.equal(res.headers()['content-type'], 'application/pdf')
    assert.ok(Number(res.headers()['content-length']) > 10_000, `a preview of ${res.headers()['content-length']} bytes`)
    const frame = pane.getByTestId('doc-preview-frame')
    await frame.waitFor()
    const src = await frame.getAttribute('src')
    assert.match(src, /^blob:/)

    // Typing on in the 正文: one more preview once the typing stops, with the text.
    const before = requests.length
    const sentence = '为做好版式预览工作，现将有关事项通知如下。'
    const next = answered(page, 'POST', PREVIEW)
    await page.locator('.ProseMirror').click()
    await page.keyboard.type(sentence)
    await expectAnswer(next, 'the preview after typing')
    await page.waitForFunction((old) => document.querySelector('[data-testid="doc-preview-frame"]')?.getAttribute('src') !== old, src)
    const after = requests.slice(before)
    assert.ok(after.length >= 1 && after.length <= 3, `${after.length} preview requests for ${sentence.length} keystrokes`)
    assert.equal(after.at(-1).title, title)
    assert.match(after.at(-1).body, /现将有关事项通知如下/)

    // A joint issuer (联合行文): the next preview lays it out.
    const joint = answered(page, 'POST', PREVIEW)
    await page.getByTestId('field-jointissuers').click()
    await page.keyboard.type('安徽省财政厅')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await expectAnswer(joint, 'the preview with a joint issuer')
    assert.deepEqual(requests.at(-1).jointIssuers, ['安徽省财政厅'])

    // The pane can be switched off.
    await page.getByTestId('doc-preview-switch').click()
    await pane.waitFor({ state: 'detached' })
  })
  // Previewing filed nothing.
  const token = (await apiLogin('staff')).accessToken
  const list = await api('GET', `${OFFICE_API}/documents`, token)
  assert.ok(!list.body.items.some((d) => d.title === title), 'a preview filed a document')
})
