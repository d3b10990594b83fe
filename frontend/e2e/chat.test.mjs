// End-to-end: instant messaging (消息). 李文静 (editor) and 周丽 (reviewer), each in a browser
// context of their own, chat in a group this test creates: the reviewer sees the editor typing,
// the message appears without a reload, and the editor sees it read; the XSS corpus sent as a
// message renders inert. A file sent in a chat reaches the other member as a card whose link
// downloads the same bytes, while someone outside the chat gets 404 for it; the 消息 menu entry
// counts the unread and follows the messages screen as they are read.
// Screens go to docs/screenshots/chat-*.png.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BASE_URL, OFFICE_API, api, apiLogin, loginTo, useBrowser, withPage } from './browser.mjs'
import { XSS_TEXT, assertInert, watchDialogs } from './xss.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

test('two users chat in real time; the XSS corpus renders inert', async (t) => {
  const editor = await apiLogin('editor')
  const reviewer = await apiLogin('reviewer')
  const me = await api('GET', `${OFFICE_API}/me`, reviewer.accessToken)
  const name = `联调群${randomInt(1e6)}`
  const g = await api('POST', `${OFFICE_API}/chat/groups`, editor.accessToken, { name, members: [me.body.user.id] })
  assert.equal(g.status, 201, JSON.stringify(g.body))
  const path = `/office/messages/${g.body.id}`

  await withPage(t, async (a) => {
    await withPage(t, async (b) => {
      await loginTo(a, 'editor', path)
      await loginTo(b, 'reviewer', path)
      const dialogs = watchDialogs(b)
      await a.getByTestId('chat-state').getByText('已连接').waitFor()
      await b.getByTestId('chat-state').getByText('已连接').waitFor()
      await b.getByTestId('chat-title').getByText(name).waitFor()

      const text = `下午三点在三楼会议室碰头，议题见 https://example.gov.cn/agenda （${randomInt(1e6)}）`
      await a.getByTestId('chat-input').pressSequentially('下午三点', { delay: 30 })
      await b.getByTestId('chat-typing').getByText('李文静 正在输入…').waitFor()
      await a.getByTestId('chat-input').fill(text)
      await a.getByTestId('chat-send').click()
      // It arrives on the other side without a reload, with the link made safely.
      const got = b.getByTestId('chat-message').filter({ hasText: '下午三点在三楼会议室碰头' })
      await got.waitFor()
      assert.equal(await got.locator('a').getAttribute('href'), 'https://example.gov.cn/agenda')
      // The reviewer has it open, so it is read: the editor sees that.
      await a.getByTestId('chat-message').filter({ hasText: '下午三点在三楼会议室碰头' }).getByText('1人已读').waitFor()
      await shot(a, 'chat-conversation')

      await a.getByTestId('chat-input').fill(XSS_TEXT)
      await a.getByTestId('chat-send').click()
      await b.getByTestId('chat-message').filter({ hasText: '测试安全过滤' }).waitFor()
      await assertInert(b, '[data-testid=chat-messages]', dialogs)
      await assertInert(a, '[data-testid=chat-messages]')
      await shot(b, 'chat-list')
    })
  })
})

test('a file in a chat: the member downloads it, an outsider gets 404; the menu badge counts the unread', async (t) => {
  const editor = await apiLogin('editor')
  const reviewer = await apiLogin('reviewer')
  const outsider = await apiLogin('staff')
  const me = await api('GET', `${OFFICE_API}/me`, reviewer.accessToken)
  const name = `文件群${randomInt(1e6)}`
  const g = await api('POST', `${OFFICE_API}/chat/groups`, editor.accessToken, { name, members: [me.body.user.id] })
  assert.equal(g.status, 201, JSON.stringify(g.body))
  const id = g.body.id
  const sent = await api('POST', `${OFFICE_API}/chat/chats/${id}/messages`, editor.accessToken,
    { clientId: `e2e-${randomInt(1e9)}`, text: '材料稍后发群里' })
  assert.equal(sent.status, 201, JSON.stringify(sent.body))
  // The chat list comes from an index that follows the store: wait for the group's write.
  const list = (await api('GET', `${OFFICE_API}/chat/chats?consistentWith=${g.body.seq}`, reviewer.accessToken)).body
  const here = list.items.find((s) => s.chat.id === id).unread
  assert.ok(here >= 1 && list.unread >= here, JSON.stringify({ here, total: list.unread }))
  const label = (n) => `未读消息 ${n} 条`

  const fileName = `会议材料${randomInt(1e6)}.txt`
  const bytes = Buffer.from(`一、议程\n二、材料清单 ${randomInt(1e9)}\n`)
  await withPage(t, async (a) => {
    await withPage(t, async (b) => {
      // The reviewer's menu counts the unread; opening the chat on the messages screen brings
      // the count down at once (the screen reports it), without a reload.
      await loginTo(b, 'reviewer', '/office')
      const badge = b.getByTestId('menu-chat-unread')
      await badge.waitFor()
      assert.equal(await badge.getAttribute('aria-label'), label(list.unread))
      await shot(b, 'chat-menu-unread')
      await b.locator('[data-testid=office-menu] .el-menu-item').filter({ has: badge }).click()
      await b.locator(`[data-testid=chat-item][data-chat="${id}"]`).click()
      await b.getByTestId('chat-title').getByText(name).waitFor()
      await b.waitForFunction(([n, text]) => {
        const el = document.querySelector('[data-testid=menu-chat-unread]')
        return n === 0 ? !el : el?.getAttribute('aria-label') === text
      }, [list.unread - here, label(list.unread - here)])

      await loginTo(a, 'editor', `/office/messages/${id}`)
      await a.getByTestId('chat-state').getByText('已连接').waitFor()
      await a.getByTestId('chat-file').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: bytes })
      await a.getByTestId('chat-file-card').filter({ hasText: fileName }).waitFor()

      const card = b.getByTestId('chat-file-card').filter({ hasText: fileName })
      await card.waitFor()
      assert.match(await card.innerText(), /\d+ B/)
      await shot(b, 'chat-file')
      const href = await card.getByTestId('chat-file-download').getAttribute('href')
      assert.match(href, /^\/api\/portal\/v1\/media\/[0-9a-f]{64}$/)
      // The link as the reviewer's browser follows it (the media cookie carries the session).
      const got = await b.request.get(`${BASE_URL}${href}`)
      assert.equal(got.status(), 200)
      assert.deepEqual(Buffer.from(await got.body()), bytes)
      // Someone outside the chat, and no one at all: as if there were no such file.
      const outside = await fetch(`${BASE_URL}${href}`, { headers: { Authorization: `Bearer ${outsider.accessToken}` } })
      assert.equal(outside.status, 404)
      assert.equal((await fetch(`${BASE_URL}${href}`)).status, 404)
    })
  })
})
