// End-to-end: what people type into 公文查询 (issue 15 items 2 and 6).
// 1. The start of a document number in every bracket form (皖政办,
//    皖政办〔2026〕, 皖政办[2026]) lists that issuer's (and year's)
//    documents, newest first: two 报告 numbered by this test, the later
//    above the earlier, every hit's number starting so.
// 2. Pinyin typed for a title's words finds nothing, and the page offers
//    the Chinese (您是不是要找：…) as a link that searches it; traditional
//    characters find the simplified title directly.
// 3. The mail search offers the Chinese for pinyin the same way.
// The test makes its own documents (a title no other test uses) and reads
// nothing of the demo's. Screens go to docs/screenshots/search-variants-*.png.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `search-variants-${name}.png`), fullPage: true })
}

/**
 * Approves username's open task on document id through the API. The task is
 * found on the document as its drafter reads it (owner reads it at once): the
 * assignee's own access comes with the task through the query side, a moment later.
 */
async function approve(username, id, drafterToken) {
  const { accessToken } = await apiLogin(username)
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, drafterToken)
  assert.equal(doc.status, 200, JSON.stringify(doc.body))
  const me = await api('GET', `${OFFICE_API}/me`, accessToken)
  const task = (doc.body.tasks ?? []).find((t) => t.assignee === me.body.user.id)
  assert.ok(task, `${username} holds no task on ${id}: ${JSON.stringify(doc.body.tasks)}`)
  const r = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, accessToken, { action: 'approve', opinion: '同意' })
  assert.equal(r.status, 200, `${username}: ${JSON.stringify(r.body)}`)
}

/** A 报告 (not a 请示: flows.test.mjs adds a 法制审核 step for 请示 to the shared server's flow) drafted by staff and taken through 审核, 签发 and 复核 to 登记编号; returns it numbered. */
async function numbered(title) {
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '报告', title, classification: '非密', urgency: '加急', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['省人民政府'], body: `<p>${title}，特此报告。</p>`,
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  for (const who of ['chuzhang', 'director', 'clerk', 'clerk']) await approve(who, id, staff.accessToken)
  const doc = await api('GET', `${OFFICE_API}/documents/${id}`, staff.accessToken)
  assert.match(doc.body.docNumber ?? '', /^皖政办〔\d{4}〕\d+号$/, `numbered: ${JSON.stringify(doc.body)}`)
  return doc.body
}

/** Runs a 公文查询 by typing into the box; waits for its answer. */
async function query(page, text) {
  await page.fill('input[data-testid="ds-q"]', text)
  const searched = answered(page, 'GET', '/api/office/v1/documents/search')
  await page.getByTestId('ds-submit').click()
  await expectAnswer(searched, `search ${text}`)
  await page.getByTestId('ds-total').waitFor()
}

const tag = () => randomInt(100, 99999)

test('公文查询 lists an issuer’s documents newest first for a number’s start in every bracket form', async (t) => {
  const older = await numbered(`关于申请候鸟保护区巡护经费的报告（测试${tag()}）`)
  const newer = await numbered(`关于申请湿地监测站建设资金的报告（测试${tag()}）`)
  const year = newer.docNumber.match(/〔(\d{4})〕/)[1]

  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/documents/search')
    await page.getByTestId('ds-total').waitFor()
    for (const [typed, start] of [['皖政办', '皖政办'], [`皖政办〔${year}〕`, `皖政办〔${year}〕`], [`皖政办[${year}]`, `皖政办〔${year}〕`], [`皖政办（${year}）`, `皖政办〔${year}〕`]]) {
      await query(page, typed)
      const numbers = await page.getByTestId('ds-hit-number').allTextContents()
      const titles = await page.getByTestId('ds-hit-title').allTextContents()
      assert.ok(numbers.length >= 2, `${typed}: ${numbers}`)
      for (const n of numbers) assert.ok(n.startsWith(start), `${typed} lists ${n}`)
      const [i, j] = [titles.indexOf(newer.title), titles.indexOf(older.title)]
      assert.ok(i >= 0 && j >= 0, `${typed}: both test documents listed: ${titles}`)
      assert.ok(i < j, `${typed}: the newer document first: ${titles}`)
      // Newest first: the dates shown never go up.
      const dates = await page.locator('[data-testid="ds-hit"] .ds-hit-meta > span:last-child').allTextContents()
      assert.deepEqual(dates, [...dates].sort().reverse(), `${typed}: dates ${dates}`)
    }
    await shot(page, 'docprefix')
  })
})

test('公文查询 offers the Chinese for pinyin typed, and finds traditional characters directly', async (t) => {
  const doc = await numbered(`关于开展候鸟迁徙通道保护专项行动的报告（测试${tag()}）`)

  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/documents/search')
    await page.getByTestId('ds-total').waitFor()
    for (const [typed, words] of [['tdbh', '通道保护'], ['houniaoqianxi', '候鸟迁徙']]) {
      await query(page, typed)
      assert.equal(await page.getByTestId('ds-hit').count(), 0)
      const offer = page.getByTestId('ds-did-you-mean')
      await offer.waitFor()
      assert.match(await offer.textContent(), new RegExp(`您是不是要找：\\s*${words}`))
    }
    await shot(page, 'did-you-mean')
    // The offer is a link: it searches the words, keeping the address a search.
    const searched = answered(page, 'GET', '/api/office/v1/documents/search')
    await page.getByTestId('ds-did-you-mean').getByRole('link', { name: '候鸟迁徙' }).click()
    await expectAnswer(searched, 'search the offered words')
    await page.getByTestId('ds-hit').filter({ hasText: doc.title }).waitFor()
    assert.equal(new URL(page.url()).searchParams.get('q'), '候鸟迁徙')
    assert.equal(await page.getByTestId('ds-did-you-mean').count(), 0)

    await query(page, '候鳥遷徙通道')
    await page.getByTestId('ds-hit').filter({ hasText: doc.title }).waitFor()
  })
})

test('the mail search offers the Chinese for pinyin typed', async (t) => {
  const editor = await apiLogin('editor')
  const people = await api('GET', `${OFFICE_API}/org/people`, editor.accessToken)
  const zhou = people.body.items.find((p) => p.name === '周丽')
  const subject = `湿地巡护排班表（测试${tag()}）`
  const sent = await api('POST', `${OFFICE_API}/mail`, editor.accessToken, { to: [{ userId: zhou.id }], subject, body: '<p>请查收本周排班。</p>' })
  assert.equal(sent.status, 201, JSON.stringify(sent.body))

  await withPage(t, async (page) => {
    await loginTo(page, 'reviewer', '/office/mail')
    const box = page.locator('input[data-testid="mail-search"]')
    await box.fill('shidixunhu')
    const offer = page.getByTestId('mail-did-you-mean')
    // The office index applies the mail a moment after the send: ask again until it has.
    for (let i = 0; i < 20 && !(await offer.count()); i++) {
      await box.press('Enter')
      await page.waitForTimeout(500)
    }
    await offer.waitFor()
    assert.equal((await offer.textContent()).trim(), '湿地巡护')
    await offer.click()
    await page.getByTestId('mail-hits').getByText(subject).waitFor()
    assert.equal(await box.inputValue(), '湿地巡护')
  })
})
