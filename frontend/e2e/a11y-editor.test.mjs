// End-to-end (issue 17): an editor's publish flow by keyboard alone. The
// editor opens 新建信息 with Tab and Enter, picks the channel with the arrow
// keys, types the title and the body into the rich-text editor (bold through
// its toolbar), inserts an image and is asked for its alt text, and submits
// for review; 初审 (reviewer) and 终审 (director) approve from the review queue
// by keyboard too. The item then reads on the portal with the image's alt text.
// Every control reached shows where the focus is (:focus-visible).
// A second test opens the dialogs of 会议, 值班, 邮件, 论坛, 消息, 个人助理,
// 视频点播 and 信息发布 (which no route reaches, so e2e/a11y.test.mjs cannot)
// and checks each with axe's WCAG 2.1 A/AA rules: 0 violations.
// Run with `npm run e2e` against a server started with --demo.

import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { axeViolations, describeViolations } from './axe.mjs'
import { BASE_URL, apiLogin, loginTo, logout, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `a11y-editor-${name}.png`) })
}

// A 2×2 PNG (red, green, blue, white): a real image the media store accepts.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
)

/**
 * Presses key (Tab, Shift+Tab) until the focus is on or inside target, and
 * checks the focus is visible there; fails after max presses.
 */
async function tabTo(page, target, { key = 'Tab', max = 60 } = {}) {
  const el = await target.elementHandle()
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key)
    const here = await el.evaluate((t) => {
      const a = document.activeElement
      return !!a && (t === a || t.contains(a))
    })
    if (here) {
      const visible = await page.evaluate(() => {
        const a = document.activeElement
        // A text field's caret is its focus indicator; for the rest the browser
        // must match :focus-visible (an outline or ring drawn by our CSS or Element Plus).
        return a.isContentEditable || a.matches('input, textarea') || a.matches(':focus-visible')
      })
      assert.ok(visible, `the focus on ${await el.evaluate((t) => t.outerHTML.slice(0, 120))} is not visible`)
      return
    }
  }
  throw new Error(`${key} ×${max} never reached ${await el.evaluate((t) => t.outerHTML.slice(0, 160))}`)
}

/** The active element's accessible text, for messages. */
const focused = (page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? '')

/** A reviewer approves title in the review queue using only the keyboard. */
async function approveByKeyboard(page, user, title) {
  await loginTo(page, user, '/office/portal/review')
  const row = page.getByTestId('review-queue').locator('tr', { hasText: title }).first()
  await row.waitFor()
  // The fixed 操作 column is drawn twice by el-table; the visible copy is the one to reach.
  await tabTo(page, row.getByTestId('approve').locator('visible=true').first(), { max: 120 })
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('approve-dialog')
  await dialog.getByTestId('approve-comment').waitFor()
  await tabTo(page, dialog.getByTestId('approve-confirm'))
  const answered = page.waitForResponse((r) => r.url().endsWith('/approve') && r.request().method() === 'POST')
  await page.keyboard.press('Enter')
  assert.equal((await answered).status(), 200, `${user} approves`)
  await logout(page)
}

test('an editor publishes an item with an image using only the keyboard', async (t) => {
  const title = `键盘发布测试${randomInt(1e6)}`
  const alt = '全省政务公开工作会议现场'
  await withPage(t, async (page) => {
    await loginTo(page, 'editor', '/office/portal')
    await page.getByTestId('document-table').waitFor()

    // 新建信息: a menu button — Tab to it, Enter opens its menu of types,
    // the arrow keys move through it, Enter picks 文章.
    await tabTo(page, page.getByTestId('new-document'), { max: 80 })
    await page.keyboard.press('Enter')
    const article = page.getByTestId('new-article')
    await article.waitFor()
    // Element Plus moves the focus into the opened menu a moment later.
    await page.waitForFunction(() => !!document.activeElement?.closest('.el-dropdown-menu'))
    for (let i = 0; i < 8 && !(await article.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('ArrowDown')
    }
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/office/portal/new')
    await page.getByTestId('edit-form').waitFor()

    // The channel: open the select with Enter, type to narrow, the arrow keys reach it, Enter picks.
    await tabTo(page, page.getByTestId('field-channel'))
    await page.keyboard.press('Enter')
    await page.keyboard.type('政务要闻')
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: '政务要闻' }).first()
    await option.waitFor()
    for (let i = 0; i < 5 && !(await option.evaluate((o) => o.classList.contains('is-hovering'))); i++) {
      await page.keyboard.press('ArrowDown')
    }
    await page.keyboard.press('Enter')
    await page.getByTestId('field-channel').getByText('政务要闻').waitFor()

    await tabTo(page, page.getByTestId('field-title'))
    await page.keyboard.type(title)

    // The body: the rich-text editor is a named textbox in the Tab order.
    const body = page.getByRole('textbox', { name: '正文' })
    await tabTo(page, body)
    await page.keyboard.type('会议要求各地各部门')
    // Its toolbar by keyboard: back to 加粗, Space, and on into the body again.
    await tabTo(page, page.getByRole('button', { name: '加粗' }), { key: 'Shift+Tab' })
    await page.keyboard.press('Space')
    await tabTo(page, body)
    await page.keyboard.press('End')
    await page.keyboard.type('扎实推进政务公开')
    assert.match(await body.innerHTML(), /<strong>扎实推进政务公开<\/strong>/, 'bold typed through the toolbar')

    // 插入图片: a dialog that will not insert without alt text.
    await tabTo(page, page.getByTestId('rte-image'), { key: 'Shift+Tab' })
    await page.keyboard.press('Enter')
    const fileInput = page.getByTestId('rte-image-file')
    await fileInput.waitFor()
    await tabTo(page, fileInput, { max: 10 })
    const chooser = page.waitForEvent('filechooser')
    await page.keyboard.press('Space')
    await (await chooser).setFiles({ name: 'meeting.png', mimeType: 'image/png', buffer: PNG })
    await tabTo(page, page.getByTestId('rte-image-insert'), { max: 10 })
    await page.keyboard.press('Enter')
    await page.getByText('请填写图片的替代文字').waitFor()
    await shot(page, 'alt-required')
    await tabTo(page, page.getByTestId('rte-image-alt'), { key: 'Shift+Tab', max: 10 })
    await page.keyboard.type(alt)
    await tabTo(page, page.getByTestId('rte-image-insert'), { max: 10 })
    await page.keyboard.press('Enter')
    await body.locator(`img[alt="${alt}"]`).waitFor()
    await shot(page, 'form')

    // 提交审核: back up through the form to the page's actions.
    await tabTo(page, page.getByTestId('submit-review'), { key: 'Shift+Tab', max: 120 })
    const submitted = page.waitForResponse((r) => r.url().endsWith('/submit') && r.request().method() === 'POST')
    await page.keyboard.press('Enter')
    assert.equal((await submitted).status(), 200, `submitted (focus was on ${await focused(page)})`)
    await page.waitForURL((u) => u.pathname === '/office/portal')
    await logout(page)

    await approveByKeyboard(page, 'reviewer', title)
    await approveByKeyboard(page, 'director', title)
    await shot(page, 'approved')
  })

  // The reader's side: the item with its image and the editor's alt text.
  await withPage(t, async (page) => {
    const deadline = Date.now() + 15_000
    let id = ''
    while (!id && Date.now() < deadline) {
      const list = await fetch(`${BASE_URL}/api/portal/v1/items?channel=news&size=20`).then((x) => x.json())
      id = (list.items ?? []).find((i) => i.title === title)?.id ?? ''
      if (!id) await new Promise((res) => setTimeout(res, 300))
    }
    assert.ok(id, 'the item is listed in 政务要闻')
    await page.goto(`${BASE_URL}/items/${encodeURIComponent(id)}`)
    await page.getByRole('heading', { name: title }).waitFor()
    const img = page.locator(`img[alt="${alt}"]`)
    await img.waitFor()
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the image loads for a reader')
    await shot(page, 'portal-item')
  })
})

/** An upcoming meeting huiwu organises (its 改期 and 参会人员 dialogs), or ''. */
async function upcomingMeeting() {
  const { accessToken } = await apiLogin('huiwu')
  const r = await fetch(`${BASE_URL}/api/office/v1/meetings?size=100&scope=all`, { headers: { authorization: `Bearer ${accessToken}` } })
  const page = await r.json()
  const now = Date.now()
  return (page.items ?? []).find((m) => m.state === 'scheduled' && Date.parse(m.startAt) > now + 3600_000)?.id ?? ''
}

test('the dialogs of 会议, 值班, 邮件, 论坛, 消息, 个人助理, 视频点播 and 信息发布 pass axe', async (t) => {
  const meeting = await upcomingMeeting()
  const dialogs = [
    { user: 'huiwu', path: `/office/meetings/${meeting}`, open: 'meeting-reschedule', skip: !meeting },
    { user: 'huiwu', path: `/office/meetings/${meeting}`, open: 'meeting-attendees-edit', skip: !meeting },
    { user: 'zhiban1', path: '/office/duty?tab=log', open: 'duty-log-new' },
    { user: 'reviewer', path: '/office/mail', open: 'mail-write' },
    { user: 'staff', path: '/office/forum', open: 'forum-new' },
    { user: 'officeadmin', path: '/office/forum/manage', open: 'forum-board-new' },
    { user: 'editor', path: '/office/messages', open: 'chat-new-direct' },
    { user: 'editor', path: '/office/messages', open: 'chat-new-group' },
    { user: 'staff', path: '/office/assistant?tab=notes', open: 'note-new' },
    { user: 'editor', path: '/office/videos', open: 'video-upload-open' },
    { user: 'editor', path: '/office/portal/new', open: 'rte-image' },
  ]
  const failures = []
  await withPage(t, async (page) => {
    let signedIn = ''
    for (const d of dialogs) {
      if (d.skip) continue
      if (signedIn !== d.user) {
        if (signedIn) {
          await page.goto(`${BASE_URL}/office`) // the open dialog would cover 退出登录
          await logout(page)
        }
        await loginTo(page, d.user, d.path)
        signedIn = d.user
      } else {
        await page.goto(`${BASE_URL}${d.path}`)
      }
      await page.getByTestId(d.open).click()
      await page.locator('.el-dialog:visible').first().waitFor()
      await page.waitForTimeout(300) // the opening transition
      const v = await axeViolations(page)
      if (v.length) failures.push(describeViolations(`${d.path} → ${d.open} [${d.user}]`, v))
    }
  })
  assert.equal(failures.length, 0, `WCAG 2.1 AA violations:\n${failures.join('\n')}`)
})
