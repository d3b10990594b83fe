// End-to-end: the forum (论坛). 陈晓燕 (staff) opens a thread on 工作交流
// mentioning 李文静 and replies to it; the board's moderator 周丽
// (reviewer) hides the reply and locks the thread, and staff then sees the
// reply hidden and no reply box. 信息处's board is not listed for staff and
// its thread's address says 不存在. The XSS corpus posted as a thread
// renders inert. Each test makes its own threads.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { OFFICE_API, api, apiLogin, loginTo, logout, useBrowser, withPage } from './browser.mjs'
import { XSS_CORPUS, assertInert, watchDialogs } from './xss.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')
async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

/** The id of the board named name, as username sees the boards. */
async function boardId(token, name) {
  const r = await api('GET', `${OFFICE_API}/forum/boards`, token)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const b = r.body.items.find((x) => x.name === name)
  assert.ok(b, `no board ${name}`)
  return b.id
}

/** Answers the moderation prompt with a reason. */
async function reason(page, text) {
  await page.locator('.el-message-box__input input').fill(text)
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

test('a thread with a mention and a reply; the moderator hides the reply and locks the thread', async (t) => {
  const title = `请教会议纪要格式（${randomInt(1e6)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/forum')
    await page.getByTestId('forum-board-工作交流').click()
    await page.getByTestId('forum-board-name').getByText('工作交流').waitFor()
    await page.getByTestId('forum-new').click()
    const dialog = page.locator('.el-dialog:visible')
    await page.getByTestId('forum-title').fill(title)
    await dialog.locator('.ProseMirror').click()
    await page.keyboard.type('请问纪要用哪个模板？')
    await dialog.getByTestId('forum-mention').click()
    await page.keyboard.type('李文静')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '李文静' }).first().click()
    await dialog.getByText('将提醒：李文静').waitFor()
    await page.getByTestId('forum-post').click()
    await page.waitForURL((u) => u.pathname.startsWith('/office/forum/threads/'))
    const url = new URL(page.url()).pathname
    await page.getByTestId('forum-thread-title').getByText(title).waitFor()
    await page.getByTestId('forum-floor-1').getByText('@李文静').waitFor()

    await page.locator('.reply-box .ProseMirror').click()
    await page.keyboard.type('补充：需要附参会人员名单吗？')
    await page.getByTestId('forum-reply').click()
    await page.getByTestId('forum-floor-2').getByText('补充：需要附参会人员名单吗？').waitFor()
    await shot(page, 'forum-thread')
    await logout(page)

    await loginTo(page, 'reviewer', url)
    await page.getByTestId('forum-hide-2').click()
    await reason(page, '与主题无关')
    await page.getByTestId('forum-floor-2').getByText('已隐藏').waitFor()
    await page.getByTestId('forum-floor-2').getByText('补充：需要附参会人员名单吗？').waitFor() // the moderator still sees it
    await page.getByRole('button', { name: '版主操作' }).click()
    await page.locator('.el-dropdown-menu__item:visible', { hasText: '锁定' }).click()
    await reason(page, '问题已解答')
    await page.getByTestId('forum-locked').waitFor()
    await logout(page)

    await loginTo(page, 'staff', url)
    await page.getByTestId('forum-floor-2').getByTestId('forum-hidden').getByText('该内容已被版主隐藏').waitFor()
    assert.equal(await page.getByTestId('forum-floor-2').getByText('补充：需要附参会人员名单吗？').count(), 0)
    await page.getByTestId('forum-locked').waitFor()
    assert.equal(await page.getByTestId('forum-reply').count(), 0, 'a locked thread offers a reply box')
    await page.getByText('已锁定', { exact: true }).first().waitFor()
    await page.waitForTimeout(400) // the tags fade in
    await shot(page, 'forum-hidden-locked')
  })
})

test("another department's board is not listed and its thread says 不存在", async (t) => {
  const { accessToken } = await apiLogin('reviewer')
  const r = await api('POST', `${OFFICE_API}/forum/boards/${await boardId(accessToken, '信息处')}/threads`, accessToken,
    { title: `信息处内部讨论（${randomInt(1e6)}）`, body: '<p>仅本处室可见</p>' })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/forum')
    await page.getByTestId('forum-board-秘书二处').waitFor()
    assert.equal(await page.getByTestId('forum-board-信息处').count(), 0, 'staff sees 信息处的版块')
    await shot(page, 'forum-boards')
    await page.goto(`${new URL(page.url()).origin}/office/forum/threads/${r.body.id}`)
    await page.getByTestId('forum-missing').getByText('帖子不存在').first().waitFor()
  })
})

test('the XSS corpus posted as a thread renders inert', async (t) => {
  const { accessToken } = await apiLogin('staff')
  const board = await boardId(accessToken, '工作交流')
  const body = ['<p>测试安全过滤：以下内容不应执行。</p>', ...XSS_CORPUS].join('\n')
  const r = await api('POST', `${OFFICE_API}/forum/boards/${board}/threads`, accessToken,
    { title: `安全测试 <img src=x onerror="window.__zwXss='title'">（${randomInt(1e6)}）`, body })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  const re = await api('POST', `${OFFICE_API}/forum/threads/${r.body.id}/replies`, accessToken, { body: XSS_CORPUS.join('<br>') + '<p>回复</p>' })
  assert.equal(re.status, 201, JSON.stringify(re.body))
  await withPage(t, async (page) => {
    const dialogs = watchDialogs(page)
    await loginTo(page, 'staff', `/office/forum/threads/${r.body.id}`)
    await page.getByTestId('forum-floor-1').getByText('测试安全过滤').waitFor()
    await page.getByTestId('forum-floor-2').waitFor()
    await assertInert(page, '[data-testid="forum-thread"]', dialogs)
    await page.goto(`${new URL(page.url()).origin}/office/forum/boards/${board}`)
    await page.getByTestId('forum-threads').getByText('安全测试').first().waitFor()
    await assertInert(page, '[data-testid="forum-threads"]', dialogs)
  })
})
