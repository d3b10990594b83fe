// End-to-end: attachment text in search (#15 item 3). An editor publishes a
// news item with three files through the API (editor → 初审 reviewer → 终审
// director): a plain-text file saved in GBK, a UTF-8 text file, and a ZIP
// bundle, which search does not open. A visitor searching a word found only
// in one file sees that file named in the result (附件《…》中：…); the editor
// opening the item in the console sees the ZIP reported (附件无法建立索引).
// In the office, a 公文 draft's attachment is found by 公文查询, which names
// the file too. The words are made up per run, so the test finds only its
// own item and document.
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { BASE_URL, OFFICE_API, api, apiLogin, loginTo, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

const PORTAL_API = '/api/portal/v1'

/** A word no other item holds: letters only, so that the analyzer keeps it whole. */
function word(prefix) {
  let s = prefix
  for (let i = 0; i < 8; i++) s += String.fromCharCode(97 + randomInt(26))
  return s
}

async function apiAs(username) {
  const { accessToken } = await apiLogin(username)
  const call = async (method, path, body) => {
    const r = await api(method, path, accessToken, body)
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} as ${username}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  call.upload = async (name, bytes) => {
    const form = new FormData()
    form.append('file', new Blob([bytes]), name)
    const res = await fetch(`${BASE_URL}${PORTAL_API}/media`, { method: 'POST', headers: { Authorization: `Bearer ${accessToken}` }, body: form })
    const body = await res.json()
    assert.ok(res.ok, `upload ${name}: ${res.status} ${JSON.stringify(body)}`)
    return body
  }
  return call
}

// "重点湿地名录说明：" in GBK, as Chinese Windows editors save "ANSI" text.
const GBK_HEAD = Buffer.from('d6d8b5e3caaab5d8c3fbc2bccbb5c3f7a3ba', 'hex')

/** An empty ZIP archive (its end-of-directory record alone) with comment: unique bytes, so the media store keeps this name. */
function emptyZip(comment) {
  const c = Buffer.from(comment)
  const len = Buffer.alloc(2)
  len.writeUInt16LE(c.length)
  return Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(16), len, c])
}

test('a search hit names the attachment that matched; the console reports the file search could not read', async (t) => {
  const gbkWord = word('gbk')
  const utf8Word = word('utf')
  const [editor, reviewer, director] = await Promise.all(['editor', 'reviewer', 'director'].map(apiAs))
  const names = { gbk: `湿地名录${gbkWord}.txt`, utf8: `监测说明${utf8Word}.txt`, zip: `资料汇编${gbkWord}.zip` }
  const files = [
    await editor.upload(names.gbk, Buffer.concat([GBK_HEAD, Buffer.from(` ${gbkWord}\r\n`)])),
    await editor.upload(names.utf8, Buffer.from(`湿地监测数据说明 ${utf8Word}\n`)),
    await editor.upload(names.zip, emptyZip(gbkWord)),
  ]
  const docs = `${PORTAL_API}/manage/documents`
  const title = `关于湿地保护附件的通知（${gbkWord}）`
  let v = await editor('POST', docs, {
    type: 'article', channel: 'news', department: 'xinxi',
    fields: { title, summary: '附件为湿地名录和监测说明。', body: '<p>现将有关材料印发给你们，见附件。</p>',
      attachments: files.map((f) => ({ mediaId: f.id, name: f.name })) },
    changeNote: '初稿',
  })
  const id = v.document.id
  v = await editor('POST', `${docs}/${id}/submit`, { version: v.version })
  v = await reviewer('POST', `${docs}/${id}/approve`, { version: v.version, comment: '同意' })
  v = await director('POST', `${docs}/${id}/approve`, { version: v.version, comment: '同意发布' })
  assert.equal(v.document.state, 'published')

  // The search API once the index has the publication: each word finds the item, through its file.
  for (const [w, file] of [[gbkWord, names.gbk], [utf8Word, names.utf8]]) {
    const r = await fetch(`${BASE_URL}/api/search/v1/search?scope=portal&q=${w}&consistentWith=${v.seq}`)
    const res = await r.json()
    assert.equal(r.status, 200, JSON.stringify(res))
    assert.deepEqual(res.hits.map((h) => h.id), [id], `${w} finds the item alone`)
    assert.deepEqual(res.hits[0].attachments?.map((a) => a.file), [file], `${w} is in ${file}`)
  }

  await withPage(t, async (page) => {
    // A visitor's results name the file.
    await page.goto(`${BASE_URL}/search?q=${gbkWord}`)
    const snippet = page.getByTestId('search-hit').first().getByTestId('search-hit-snippet')
    await snippet.waitFor()
    const text = await snippet.textContent()
    assert.ok(text.includes(`附件《${names.gbk}》中：`), `the snippet names the file: ${text}`)
    assert.match(await snippet.locator('mark').first().textContent(), new RegExp(gbkWord, 'i'))
    await screenshot(page, 'attachments-search')
    await page.screenshot({ path: new URL('../../docs/screenshots/attachments-search.png', import.meta.url).pathname })

    // The editor sees, on the item, the file search could not read.
    await loginTo(page, 'editor', `/office/portal/documents/${id}`)
    const issues = page.getByTestId('attachment-issues')
    await issues.waitFor()
    const lines = await page.getByTestId('attachment-issue').allTextContents()
    assert.equal(lines.length, 1, `one file reported: ${lines}`)
    assert.ok(lines[0].includes(`《${names.zip}》`) && lines[0].includes('不支持'), lines[0])
    assert.ok((await issues.textContent()).includes('附件无法建立索引'))
    await issues.scrollIntoViewIfNeeded()
    await page.screenshot({ path: new URL('../../docs/screenshots/attachments-console-report.png', import.meta.url).pathname })
  })
})

test('公文查询 names the attachment of a 公文 that matched', async (t) => {
  const w = word('doc')
  const staff = await apiAs('staff')
  const file = await staff.upload(`测算依据${w}.txt`, Buffer.from(`湿地修复经费测算依据 ${w}\n`))
  const title = `关于湿地修复经费的函（测试${randomInt(100, 99999)}）`
  const created = await staff('POST', `${OFFICE_API}/documents`, {
    direction: 'incoming', docType: '函', title, classification: '非密', issuer: '省林业局',
    mainTo: ['安徽省人民政府办公厅'], body: '<p>经费测算见附件。</p>', attachments: [file.id],
  })
  // The office index follows the store's feed: wait for the draft.
  let r
  for (let i = 0; i < 30; i++) {
    r = await staff('GET', `${OFFICE_API}/documents/search?q=${w}`)
    if (r.items.length) break
    await new Promise((ok) => setTimeout(ok, 500))
  }
  assert.deepEqual(r.items.map((h) => h.id), [created.id], `${w} finds the 公文`)
  assert.deepEqual(r.items[0].attachments?.map((a) => a.file), [file.name])

  await withPage(t, async (page) => {
    await loginTo(page, 'staff', `/office/documents/search?q=${w}`)
    const line = page.getByTestId('ds-hit').filter({ hasText: title }).getByTestId('ds-hit-attachment')
    await line.waitFor()
    const text = await line.textContent()
    assert.ok(text.startsWith(`附件《${file.name}》中：`), text)
    assert.match(await line.locator('mark').first().textContent(), new RegExp(w, 'i'))
    await page.screenshot({ path: new URL('../../docs/screenshots/attachments-office-search.png', import.meta.url).pathname })
  })
})
