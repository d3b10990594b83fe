// End-to-end: full-text search from the portal (/api/search/v1) — type a
// Chinese phrase in the header's search box, see highlighted results, narrow
// them by a facet, open a hit; the autocomplete opens an item directly; no
// match shows the empty state; signed-in readers also find internal items;
// sort and page live in the URL.
// Run with `npm run e2e` against a server started with --demo, or
// `bash frontend/scripts/e2e.sh`.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BASE_URL, loginFromPortal, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

const PHRASE = '营商环境'

const totalOf = async (page) => Number((await page.getByTestId('search-total-count').textContent()).trim())

/** Waits for the results of the current URL; the index may trail the demo content by a moment after start-up. */
async function waitForHits(page) {
  for (let i = 0; i < 20; i++) {
    const first = page.getByTestId('search-hit').first()
    const none = page.getByTestId('search-empty')
    await first.or(none).or(page.getByTestId('search-error')).waitFor()
    if (await first.count()) return
    await page.waitForTimeout(500)
    await page.reload()
  }
  throw new Error(`no search results for ${page.url()}`)
}

test('search a Chinese phrase from the portal, narrow by a facet, open a hit', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/`)
    const box = page.getByTestId('search-box').locator('input')
    await box.fill(PHRASE)
    await box.press('Enter')
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === PHRASE)
    await waitForHits(page)
    assert.equal(await box.inputValue(), PHRASE, 'the header box shows what was searched')

    // Highlighted: the phrase is marked in the hits, and the marks are real <mark> elements.
    const marks = page.getByTestId('search-results').locator('mark')
    assert.ok((await marks.count()) > 0, 'hits carry <mark> highlights')
    assert.match(await marks.first().textContent(), /营商|环境/)
    const before = await totalOf(page)
    assert.ok(before > 1, `expected several hits for ${PHRASE}, got ${before}`)
    await screenshot(page, 'search-results')

    // Narrow by the type facet: 政策文件.
    const policy = page.getByTestId('facet-type').locator('[data-testid="facet-value"][data-value="policy"]')
    assert.equal((await policy.locator('.search-facet-label').textContent()).trim(), '政策文件')
    const facetCount = Number((await policy.locator('.search-facet-count').textContent()).trim())
    await policy.click()
    await page.waitForURL((u) => u.searchParams.get('type') === 'policy' && u.searchParams.get('q') === PHRASE)
    await page.getByTestId('search-chip').filter({ hasText: '类型：政策文件' }).waitFor()
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="search-total-count"]')?.textContent) === n,
      facetCount,
    )
    const after = await totalOf(page)
    assert.ok(after < before, `the facet narrows the results (${before} → ${after})`)
    const types = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))
    assert.ok(types.length > 0)
    assert.deepEqual([...new Set(types)], ['policy'], 'every hit is a policy file')
    await screenshot(page, 'search-narrowed')

    // Back goes to the unfiltered results (the state is in the URL), forward to the narrowed ones.
    await page.goBack()
    await page.waitForURL((u) => u.pathname === '/search' && !u.searchParams.has('type'))
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="search-total-count"]')?.textContent) === n, before)
    await page.goForward()
    await page.waitForURL((u) => u.searchParams.get('type') === 'policy')
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="search-total-count"]')?.textContent) === n, after)

    // Open the first hit: its item page shows the same title.
    const hit = page.getByTestId('search-hit').first().getByTestId('search-hit-title')
    const title = (await hit.textContent()).trim()
    await hit.click()
    await page.waitForURL((u) => u.pathname.startsWith('/items/'))
    assert.equal((await page.getByTestId('item-title').textContent()).trim(), title)
    await page.getByTestId('policy-meta').waitFor()
  })
})

test('the search box suggests titles; picking one opens the item', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/channels/news`)
    const box = page.getByTestId('search-box').locator('input')
    await box.pressSequentially('营商', { delay: 50 })
    const option = page.locator('.search-suggestions li').first()
    await option.waitFor()
    const title = (await option.textContent()).trim()
    assert.match(title, /营商/)
    await screenshot(page, 'search-suggestions')
    await option.click()
    await page.waitForURL((u) => u.pathname.startsWith('/items/'))
    assert.equal((await page.getByTestId('item-title').textContent()).trim(), title)
  })
})

test('a search with no match says so', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/search?q=${encodeURIComponent('齉龘靐齾爩')}`)
    await page.getByTestId('search-empty').getByText('未找到相关结果').waitFor()
    assert.equal(await totalOf(page), 0)
  })
})

test('signed-in readers also find internal items (资料库); anonymous readers do not', async (t) => {
  const path = `/search?q=${encodeURIComponent('调查与思考')}`
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}${path}`)
    await page.getByTestId('search-empty').waitFor()
    assert.equal(await totalOf(page), 0)

    await loginFromPortal(page, 'staff', '/search')
    await waitForHits(page)
    assert.ok((await totalOf(page)) > 0)
    const report = page.getByTestId('facet-type').locator('[data-testid="facet-value"][data-value="report"]')
    assert.equal((await report.locator('.search-facet-label').textContent()).trim(), '研究报告')
    // Internal channels are named from the signed-in channel tree (not a cached anonymous one).
    await page.getByTestId('facet-channel').getByText('国研报告').waitFor()
    await screenshot(page, 'search-signed-in')
  })
})

test('sort by date and paging live in the URL and survive a reload', async (t) => {
  await withPage(t, async (page) => {
    await page.goto(`${BASE_URL}/search?q=${encodeURIComponent(PHRASE)}`)
    await waitForHits(page)
    const total = await totalOf(page)
    assert.ok(total > 10, `expected more than one page for ${PHRASE}, got ${total}`)

    const searched = (check) =>
      page.waitForResponse((r) => {
        const u = new URL(r.url())
        return u.pathname === '/api/search/v1/search' && check(u.searchParams)
      })
    const settled = () => page.waitForFunction(() => !document.querySelector('.search-results-wrap .el-loading-mask'))
    let answered = searched((p) => p.get('sort') === 'date')
    await page.getByTestId('search-sort').getByText('最新').click()
    await page.waitForURL((u) => u.searchParams.get('sort') === 'date')
    await answered
    await settled()
    const datesOf = () =>
      page.getByTestId('search-hit').evaluateAll((els) =>
        els.map((e) => e.querySelector('.search-hit-meta')?.textContent.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? ''),
      )
    const dates = await datesOf()
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first')

    const firstTitle = (await page.getByTestId('search-hit-title').first().textContent()).trim()
    answered = searched((p) => p.get('sort') === 'date' && p.get('page') === '2')
    await page.getByTestId('search-pager').locator('.number', { hasText: /^2$/ }).click()
    await page.waitForURL((u) => u.searchParams.get('page') === '2' && u.searchParams.get('sort') === 'date')
    await answered
    await settled()
    assert.notEqual((await page.getByTestId('search-hit-title').first().textContent()).trim(), firstTitle)
    const page2 = await datesOf()
    assert.ok(page2[0] <= dates[dates.length - 1], 'page 2 continues where page 1 ended')

    await page.reload()
    await waitForHits(page)
    assert.equal(await page.getByTestId('search-pager').locator('.number.is-active').textContent(), '2')
    assert.equal(await page.getByTestId('search-sort').locator('.is-active').textContent(), '最新')
    assert.deepEqual(await datesOf(), page2)
  })
})
