// What the portal's browser tests need beyond the demo, made through the real
// APIs with names of their own (CI runs every e2e file against one server):
// an item with attachments, a preview token, an account that must change its
// password; and where to find the demo's own items (a policy with a 文号…).

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { BASE_URL, DEMO_PASSWORD, OFFICE_API, api, apiLogin } from './browser.mjs'

const PORTAL = '/api/portal/v1'
const DOCS = `${PORTAL}/manage/documents`

const tokens = new Map()
async function as(username) {
  if (!tokens.has(username)) tokens.set(username, (await apiLogin(username)).accessToken)
  const token = tokens.get(username)
  return async (method, path, body) => {
    const r = await api(method, path, token, body)
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} as ${username}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
}

export async function portalGet(path) {
  const r = await fetch(`${BASE_URL}${PORTAL}${path}`)
  assert.ok(r.ok, `GET portal ${path}: ${r.status}`)
  return r.json()
}

/** A first item of channel that satisfies ok (from the newest 50). */
export async function findItem(channel, ok = () => true) {
  const list = await portalGet(`/items?channel=${channel}&size=50`)
  const it = (list.items ?? []).find(ok)
  assert.ok(it, `no item in ${channel} fits`)
  return it
}

/** A leader's sub-channel (讲话 or 活动), from the channel tree. */
export async function leaderChannel() {
  const tree = await portalGet('/channels')
  const leaders = tree.find((c) => c.key === 'leaders')
  const sub = leaders?.children?.[0]?.children?.[0]
  assert.ok(sub, 'no leader sub-channel')
  return sub.key
}

/** A news item with two attachments, published through both review steps (once per run). */
let withAttachments
export function itemWithAttachments() {
  withAttachments ??= (async () => {
    const editor = await as('editor')
    const ids = []
    for (const name of ['实施细则说明.txt', '申报表填写指引.txt']) {
      const form = new FormData()
      form.append('file', new Blob([`${name}：无障碍检查用附件。`], { type: 'text/plain' }), name)
      const { accessToken } = await apiLogin('editor')
      const r = await fetch(`${BASE_URL}${PORTAL}/media`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form })
      const body = await r.text()
      assert.ok(r.ok, `upload ${name}: ${r.status} ${body}`)
      ids.push({ mediaId: JSON.parse(body).id, name })
    }
    const title = `无障碍检查：带附件的通知${randomInt(1e6)}`
    let v = await editor('POST', DOCS, {
      type: 'article',
      channel: 'news',
      department: 'xinxi',
      fields: { title, summary: '附件两份。', body: '<p>请阅读附件。<a href="https://www.gov.cn/">中国政府网</a></p>', attachments: ids },
      changeNote: '初稿',
    })
    const id = v.document.id
    v = await editor('POST', `${DOCS}/${id}/submit`, { version: v.version })
    v = await (await as('reviewer'))('POST', `${DOCS}/${id}/approve`, { version: v.version, comment: '同意' })
    v = await (await as('director'))('POST', `${DOCS}/${id}/approve`, { version: v.version, comment: '同意发布' })
    await portalGet(`/items?channel=news&size=1&consistentWith=${v.seq}`)
    return id
  })()
  return withAttachments
}

/** A preview token of a fresh draft. */
export async function previewToken() {
  const editor = await as('editor')
  const v = await editor('POST', DOCS, {
    type: 'article',
    channel: 'news',
    department: 'xinxi',
    fields: { title: `无障碍检查：预览草稿${randomInt(1e6)}`, body: '<p>草稿正文。</p>' },
    changeNote: '初稿',
  })
  const p = await editor('POST', `${DOCS}/${v.document.id}/preview`, {})
  assert.ok(p.token, `preview: ${JSON.stringify(p)}`)
  return p.token
}

/** An account the system administrator has just made: it must change its password first. */
export async function newAccount() {
  const username = `wza${randomInt(1e6)}`
  const r = await api('POST', `${OFFICE_API}/users`, (await apiLogin('sysadmin')).accessToken, {
    username,
    displayName: `检查${username.slice(-4)}`,
    password: DEMO_PASSWORD,
    departmentIds: ['mishu1'],
    postIds: [],
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  return username
}
