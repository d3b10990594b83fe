// The office frame for every user (issue 17): the desktop used with the
// keyboard alone — the skip link, Tab through the menu with a visible focus,
// open 公文, open a task, a dialog that gives the focus back — and the desktop
// with its to-do list on a phone (375 px): the menu behind a button (a
// drawer), no horizontal scrolling of the page. The document it opens is its
// own (陈晓燕 drafts and submits it; 刘志强, her head, has the 审核 task), so
// the test neither needs nor spoils anyone else's data.
// Screenshots: docs/screenshots/a11y-office-*.png.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { axeViolations, describeViolations } from './axe.mjs'
import { BASE_URL, OFFICE_API, api, apiLogin, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')

async function shot(page, name, fullPage = true) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `a11y-office-${name}.png`), fullPage })
}

/** A 通知 drafted and submitted by staff: its 审核 task is chuzhang's. */
async function taskForChuzhang(title) {
  const staff = (await apiLogin('staff')).accessToken
  const created = await api('POST', `${OFFICE_API}/documents`, staff, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['厅机关各处室'], body: '<p>现将有关事项通知如下。</p>',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const submitted = await api('POST', `${OFFICE_API}/documents/${created.body.id}/submit`, staff)
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body))
  return created.body.id
}

/** What has the keyboard focus: its text, test id, and whether it shows a focus indicator. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return null
    const s = getComputedStyle(el)
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
    return { text: (el.textContent ?? '').trim(), testid: el.getAttribute('data-testid'), id: el.id, tag: el.tagName, href: el.getAttribute('href'), ring }
  })
}

/** Presses Tab until pred(focused) holds, at most max times; returns the focused element. */
async function tabTo(page, pred, what, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const f = await focused(page)
    if (f && pred(f)) return f
  }
  assert.fail(`Tab never reached ${what}`)
}

/** No horizontal scrolling: neither the page nor the office's main area is wider than the screen. */
async function noSideScroll(page, where) {
  const m = await page.evaluate(() => {
    const main = document.querySelector('main')
    return { doc: document.documentElement.scrollWidth, view: window.innerWidth, main: main.scrollWidth, mainView: main.clientWidth }
  })
  assert.ok(m.doc <= m.view, `${where}: the page is ${m.doc} px wide on a ${m.view} px screen`)
  assert.ok(m.main <= m.mainView, `${where}: the main area scrolls sideways (${m.main} > ${m.mainView} px)`)
}

test('keyboard only: skip link, the menu with a visible focus, 公文, a task, a dialog that gives the focus back', async (t) => {
  const title = `关于做好无障碍办公测试工作的通知（测试${randomInt(100, 99999)}）`
  const id = await taskForChuzhang(title)
  await withPage(t, async (page) => {
    await loginTo(page, 'chuzhang', '/office')
    await page.getByTestId('desktop-tasks').getByText(title).waitFor()

    // The first Tab stop is the skip link; Enter puts the focus on the page itself.
    await page.keyboard.press('Tab')
    let f = await focused(page)
    assert.equal(f?.text, '跳到主要内容')
    assert.ok(await page.getByTestId('skip-to-main').isVisible(), 'the skip link shows when it has the focus')
    await shot(page, 'skip-link', false)
    await page.keyboard.press('Enter')
    f = await focused(page)
    assert.equal(f?.id, 'office-main', 'Enter on the skip link moves the focus to main')
    assert.equal(f?.tag, 'MAIN')
    // The landmarks: one banner, the menu's navigation, one main.
    assert.equal(await page.locator('header').count(), 1)
    assert.equal(await page.getByRole('navigation', { name: '主菜单' }).count(), 1)
    assert.equal(await page.getByRole('main').count(), 1)

    // Tab through the menu (reload: from the top again) to 公文, its focus visible; Enter opens it.
    await page.reload()
    await page.getByTestId('desktop-tasks').getByText(title).waitFor()
    f = await tabTo(page, (x) => x.text === '公文', 'the menu entry 公文')
    assert.ok(f.ring, 'the focused menu entry shows a focus ring')
    await shot(page, 'menu-focus', false)
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/office/documents')
    await page.getByTestId('doc-tasks').getByText(title).waitFor()

    // Tab to the task's title in 我的待办; Enter opens the document with its task.
    f = await tabTo(page, (x) => x.text === title, 'the task in 我的待办')
    assert.ok(f.ring, 'the focused task link shows a focus ring')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
    const panel = page.getByTestId('task-panel').filter({ hasText: '审核' })
    await panel.waitFor()

    // 转办 opens its dialog from the keyboard; Escape closes it and the focus returns to the button.
    f = await tabTo(page, (x) => x.testid === 'task-transfer', 'the 转办 button')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: '转办' })
    await dialog.waitFor()
    await shot(page, 'dialog')
    assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'the focus is inside the open dialog')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'task-transfer', null, { timeout: 3_000 })
  })
})

test('at 375 px: the menu is a drawer behind a button, the desktop and its to-do list fit the screen', async (t) => {
  const title = `关于做好手机端办公测试工作的通知（测试${randomInt(100, 99999)}）`
  await taskForChuzhang(title)
  await withPage(t, async (page) => {
    await page.setViewportSize({ width: 375, height: 812 })
    await loginTo(page, 'chuzhang', '/office')
    const todo = page.getByTestId('desktop-tasks').getByTestId('desktop-item-title').filter({ hasText: title })
    await todo.waitFor()
    await page.waitForFunction(() => !document.querySelector('.el-skeleton'))

    // The menu is out of the way (and out of the Tab order) until asked for.
    const nav = page.getByRole('navigation', { name: '主菜单' })
    assert.equal(await nav.isVisible(), false, 'the menu is hidden behind its button')
    const button = page.getByTestId('office-menu-button')
    assert.equal(await button.getAttribute('aria-expanded'), 'false')
    await noSideScroll(page, 'the desktop')
    assert.ok(await todo.isVisible())
    const box = await todo.boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `the to-do title is on the screen (${box.x}+${box.width})`)
    await shot(page, 'desktop-375')

    // Opened by keyboard: the focus goes into the drawer; Escape closes it and returns to the button.
    await button.focus()
    await page.keyboard.press('Enter')
    await nav.waitFor()
    assert.equal(await button.getAttribute('aria-expanded'), 'true')
    assert.ok(await nav.evaluate((n) => n.contains(document.activeElement)), 'the focus is in the opened menu')
    const v = await axeViolations(page)
    assert.equal(v.length, 0, describeViolations('the open menu at 375 px', v))
    await shot(page, 'menu-375', false) // the drawer over the screen
    await page.keyboard.press('Escape')
    await nav.waitFor({ state: 'hidden' })
    assert.equal(await focused(page).then((x) => x?.testid), 'office-menu-button')

    // Opened by a tap, an entry goes there and the drawer closes.
    await button.click()
    await nav.getByText('公文', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/office/documents')
    await nav.waitFor({ state: 'hidden' })
    await page.getByTestId('doc-tasks').getByText(title).waitFor()
    await noSideScroll(page, '公文')
    await shot(page, 'documents-375')

    // The to-do opens from the phone too.
    await page.goto(`${BASE_URL}/office`)
    await todo.click()
    await page.getByTestId('task-panel').waitFor()
    await noSideScroll(page, 'the document')
  })
})
