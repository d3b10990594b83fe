// End-to-end: the portal for every reader (issue 17) — searching with the
// keyboard alone, the assistive toolbar's modes (larger text, high contrast,
// the reading guide) remembered across reloads and pages, the layout on a
// 375 px phone and at 200 % zoom, and an item page printed. Screenshots of
// each go to docs/screenshots/a11y-*.png.

import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { axeViolations, describeViolations } from './axe.mjs'
import { BASE_URL, useBrowser, withPage } from './browser.mjs'
import { findItem, itemWithAttachments } from './portal-fixtures.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')
const shot = (page, name, fullPage = false) => page.screenshot({ path: join(SHOTS, `a11y-${name}.png`), fullPage })

/** Presses Tab until test(activeElement) holds in the page (at most max times); returns how many. */
async function tabUntil(page, test, max, what) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(test)) return i
  }
  assert.fail(`${what}: not reached in ${max} presses of Tab`)
}

/** The computed font size (px) of the first element matching selector, once it has settled (some elements ease into a new size). */
async function fontSize(page, selector) {
  const read = () => page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  let last = await read()
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100)
    const now = await read()
    if (now === last) return now
    last = now
  }
  return last
}

const htmlClasses = (page) => page.evaluate(() => [...document.documentElement.classList].filter((c) => c.startsWith('zw-')).sort())

/** The page is no wider than the window: nothing scrolls sideways. */
async function assertNoSideScroll(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }))
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`)
}

test('a reader searches and opens a result with the keyboard alone', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('column-news').locator('li').first().waitFor()

    // The first Tab reaches the skip link, which takes focus to the main content.
    await page.keyboard.press('Tab')
    const skip = page.getByTestId('skip-link')
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'the first Tab stop is the skip link')
    assert.ok((await skip.boundingBox()).y >= 0, 'the focused skip link is on screen')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
    assert.equal(new URL(page.url()).pathname, '/', 'the skip link does not navigate')

    // From the top again: Tab to the search box, type, Enter.
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('column-news').locator('li').first().waitFor()
    await tabUntil(page, () => document.activeElement?.closest('[data-testid="search-box"]') && document.activeElement.tagName === 'INPUT', 20, 'the search box')
    await page.keyboard.type('营商环境')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '营商环境')
    await page.getByTestId('search-hit').first().waitFor()

    // Tab on to the first result (past the filters), Enter opens it.
    const first = (await page.getByTestId('search-hit-title').first().getAttribute('href')) ?? ''
    await tabUntil(page, () => document.activeElement?.matches('[data-testid="search-hit-title"]'), 120, 'the first result')
    const focused = await page.evaluate(() => document.activeElement.getAttribute('href'))
    assert.equal(focused, first, 'the first result is the first one reached')
    // The focus is visible: an outline is drawn around the focused link.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
    assert.notEqual(outline, 'none', 'the focused result shows where the focus is')
    await shot(page, 'keyboard-search')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === first)
    await page.getByTestId('item-title').waitFor()
  })
})

test('the login form ties each error to its field', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/login`)
    const user = page.locator('input[data-testid="login-username"]')
    await user.waitFor()
    assert.equal(await user.getAttribute('aria-invalid'), null)
    await page.getByTestId('login-submit').click()
    await page.waitForFunction(() => document.querySelector('input[data-testid="login-username"]')?.getAttribute('aria-invalid') === 'true')
    const described = await user.getAttribute('aria-describedby')
    const message = page.locator(`[id="${described}"]`)
    await message.waitFor()
    assert.ok((await message.textContent()).trim(), `aria-describedby="${described}" names the message under the field`)
    assert.equal(await message.evaluate((el) => el.closest('.el-form-item')?.querySelector('input')?.dataset.testid), 'login-username')
    // The accessible label is the visible one.
    assert.equal(await page.getByLabel('用户名').getAttribute('data-testid'), 'login-username')
    // Corrected and left (the rule checks on blur): no longer marked invalid.
    await user.fill('staff')
    await user.press('Tab')
    await page.waitForFunction(() => document.querySelector('input[data-testid="login-username"]')?.getAttribute('aria-invalid') === null)
  })
})

test('larger text and high contrast apply at once, stay after a reload and on other pages, and reset', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/`)
    const title = '[data-testid="column-news"] .portal-list-title'
    await page.locator(title).first().waitFor()
    const base = { list: await fontSize(page, title), button: await fontSize(page, '[data-testid="search-submit"]') }

    const larger = page.getByTestId('assist-larger')
    await larger.click()
    const step1 = { list: await fontSize(page, title), button: await fontSize(page, '[data-testid="search-submit"]') }
    await larger.click()
    const step2 = { list: await fontSize(page, title), button: await fontSize(page, '[data-testid="search-submit"]') }
    assert.ok(step1.list > base.list && step2.list > step1.list, `list text ${base.list} → ${step1.list} → ${step2.list} px`)
    assert.ok(step1.button > base.button && step2.button > step1.button, `button text ${base.button} → ${step1.button} → ${step2.button} px`)
    assert.ok(step2.list >= base.list * 1.4, `two steps make text at least 1.4× (${base.list} → ${step2.list} px)`)
    assert.equal(await larger.isDisabled(), true, 'two steps is the largest')
    assert.equal((await page.getByTestId('assist-size').textContent()).trim(), '字号：特大')

    const contrast = page.getByTestId('assist-contrast')
    await contrast.click()
    assert.equal(await contrast.getAttribute('aria-pressed'), 'true')
    assert.deepEqual(await htmlClasses(page), ['zw-contrast', 'zw-text-2'])
    const bodyColours = await page.evaluate(() => {
      const s = getComputedStyle(document.body)
      return [s.backgroundColor, s.color]
    })
    assert.deepEqual(bodyColours, ['rgb(0, 0, 0)', 'rgb(255, 255, 255)'], 'white text on black')
    await shot(page, 'large-text-contrast')

    // The modes' own pages pass the same WCAG check as the normal ones.
    const v = await axeViolations(page)
    assert.equal(v.length, 0, describeViolations('home, high contrast and 特大', v))

    // Remembered by the browser: after a reload and on another page (the login page too).
    await page.reload()
    await page.locator(title).first().waitFor()
    assert.deepEqual(await htmlClasses(page), ['zw-contrast', 'zw-text-2'])
    assert.equal(await page.getByTestId('assist-contrast').getAttribute('aria-pressed'), 'true')
    assert.equal(await fontSize(page, title), step2.list)
    await page.goto(`${BASE_URL}/login`)
    await page.locator('form').waitFor()
    assert.deepEqual(await htmlClasses(page), ['zw-contrast', 'zw-text-2'])

    // The reading guide follows the pointer.
    await page.getByTestId('assist-guide').click()
    await page.mouse.move(200, 300)
    assert.equal(await page.evaluate(() => document.documentElement.style.getPropertyValue('--zw-guide-y')), '300px')
    assert.ok((await htmlClasses(page)).includes('zw-guide'))

    // Read aloud is offered exactly when the browser can speak; it reads the page's main
    // content in Chinese, sentence by sentence, and 停止朗读 stops it.
    const canSpeak = await page.evaluate(() => 'speechSynthesis' in window)
    const speak = page.getByTestId('assist-speak')
    assert.equal(await speak.count(), canSpeak ? 1 : 0)
    if (canSpeak) {
      await page.evaluate(() => {
        // Headless Chromium has no voice: note what would be said instead of saying it.
        window.__spoken = []
        window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang })
      })
      await speak.click()
      assert.equal((await speak.textContent()).trim(), '停止朗读')
      assert.equal(await speak.getAttribute('aria-pressed'), 'true')
      const spoken = await page.evaluate(() => window.__spoken)
      assert.ok(spoken.length >= 1 && spoken.every((u) => u.lang === 'zh-CN'), JSON.stringify(spoken))
      assert.match(spoken.map((u) => u.text).join(''), /用户登录/, 'the main content is read (the login card)')
      await speak.click()
      assert.equal((await speak.textContent()).trim(), '朗读')
    }

    await page.getByTestId('assist-reset').click()
    assert.deepEqual(await htmlClasses(page), [])
    await page.reload()
    await page.locator('form').waitFor()
    assert.deepEqual(await htmlClasses(page), [], 'reset is remembered too')
  })
})

test('at 375 px the portal fits the phone: the menu button, lists, search and an item', async (t) => {
  await withPage(t, async (page) => {
    await page.setViewportSize({ width: 375, height: 812 })
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('column-news').locator('li').first().waitFor()
    await assertNoSideScroll(page, 'home')

    // The channels fold behind a menu button that says whether it is open.
    const nav = page.getByTestId('portal-nav')
    const menu = page.getByTestId('portal-menu-button')
    assert.equal(await nav.isVisible(), false, 'the channels are folded')
    assert.equal(await menu.getAttribute('aria-expanded'), 'false')
    await shot(page, '375-home')
    await menu.click()
    assert.equal(await menu.getAttribute('aria-expanded'), 'true')
    await nav.getByText('政府文件', { exact: true }).waitFor()
    await shot(page, '375-menu')
    await nav.getByText('政府文件', { exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/channels/files')
    await page.getByTestId('channel-list').waitFor()
    assert.equal(await nav.isVisible(), false, 'a new page folds the menu again')
    await assertNoSideScroll(page, 'the channel 政府文件')

    await page.getByTestId('search-input').fill('营商环境')
    await page.getByTestId('search-input').press('Enter')
    await page.getByTestId('search-hit').first().waitFor()
    await assertNoSideScroll(page, 'search results')
    await shot(page, '375-search')

    const policy = await findItem('files', (i) => i.policy?.docNumber)
    await page.goto(`${BASE_URL}/items/${policy.id}`)
    await page.getByTestId('policy-meta').waitFor()
    await assertNoSideScroll(page, 'a policy item')
    await shot(page, '375-item', true)

    await page.goto(`${BASE_URL}/login`)
    await page.locator('form').waitFor()
    await assertNoSideScroll(page, 'the login page')
  })
})

test('at 200 % zoom (1366 px shown at twice the size) the layout holds', async (t) => {
  await withPage(t, async (page) => {
    // 200 % zoom of a 1366 × 900 window lays the page out in 683 × 450 CSS px.
    await page.setViewportSize({ width: 683, height: 450 })
    const policy = await findItem('files', (i) => i.policy?.docNumber)
    for (const path of ['/', '/channels/files', `/items/${policy.id}`, '/search?q=营商环境']) {
      await page.goto(`${BASE_URL}${path}`)
      await page.locator('main').waitFor()
      await page.waitForLoadState('networkidle')
      await assertNoSideScroll(page, path)
    }
  })
})

test('an item prints without the site around it, with its 文号 and dates on top and links spelled out', async (t) => {
  await withPage(t, async (page) => {
    const policy = await findItem('files', (i) => i.policy?.docNumber)
    await page.goto(`${BASE_URL}/items/${policy.id}`)
    await page.getByTestId('policy-meta').waitFor()
    const head = page.getByTestId('item-print-head')
    assert.equal(await head.isVisible(), false, 'the print header is for paper only')

    await page.emulateMedia({ media: 'print' })
    for (const id of ['portal-nav', 'assist-toolbar', 'search-box', 'portal-login']) {
      assert.equal(await page.getByTestId(id).isVisible(), false, `${id} is not printed`)
    }
    assert.equal(await head.isVisible(), true)
    assert.equal((await page.getByTestId('item-print-docnumber').textContent()).trim(), `文号：${policy.policy.docNumber}`)
    assert.match(await head.textContent(), /发布日期：\d{4}-\d{2}-\d{2}/)
    assert.match(await head.textContent(), new RegExp(`${BASE_URL.replace(/[.]/g, '\\.')}/items/`), 'the page address')
    await shot(page, 'print-policy', true)

    // A link in the text and an attachment print with their full address after them.
    await page.emulateMedia({ media: 'screen' })
    await page.goto(`${BASE_URL}/items/${await itemWithAttachments()}`)
    await page.getByTestId('item-attachments').waitFor()
    await page.emulateMedia({ media: 'print' })
    const after = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el, '::after').content)
    assert.equal(await after('[data-testid="item-body"] a'), '"（https://www.gov.cn/）"')
    assert.match(await after('[data-testid="item-attachments"] a'), new RegExp(`^"（${BASE_URL.replace(/[.]/g, '\\.')}/api/portal/v1/media/`))
    await shot(page, 'print-attachments', true)
  })
})
