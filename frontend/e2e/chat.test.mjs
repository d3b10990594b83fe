// End-to-end: instant messaging (消息). 李文静 (editor) and 周丽 (reviewer), each in a browser
// context of their own, chat in a group this test creates: the reviewer sees the editor typing,
// the message appears without a reload, and the editor sees it read; the XSS corpus sent as a
// message renders inert. Screens go to docs/screenshots/chat-*.png.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { OFFICE_API, api, apiLogin, loginTo, useBrowser, withPage } from './browser.mjs'
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
