// End-to-end: search analytics (搜索分析). An anonymous reader searches the
// portal for a word it has no answer to, and for 营商环境, opening a result
// (the click is reported); the editor (李文静) sees the word among this
// week's zero-result queries, adds a synonym from it — first incomplete,
// the line named — and the reader's next search for the word finds
// 营商环境's items without any rebuild.
// Its data is its own: a made-up word, a synonym group only it uses.
// Screens go to docs/screenshots/analytics-*.png.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BASE_URL, expectAnswer, loginTo, useBrowser, withPage } from './browser.mjs'

useBrowser()

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')
const WORD = `zwfx${randomInt(1e5, 1e6)}`

async function results(page) {
  const hit = page.getByTestId('search-hit').first()
  await hit.or(page.getByTestId('search-empty')).waitFor()
  return page.getByTestId('search-hit').count()
}

test('a zero-result query becomes a synonym the next search uses', async (t) => {
  await withPage(t, async (page) => {
    // The reader: one search that finds nothing, one that finds and is opened.
    await page.goto(`${BASE_URL}/search?q=${WORD}`)
    assert.equal(await results(page), 0, `${WORD} finds nothing yet`)
    await page.goto(`${BASE_URL}/search?q=${encodeURIComponent('营商环境')}`)
    for (let i = 0; i < 20 && !(await results(page)); i++) {
      await page.waitForTimeout(500)
      await page.reload()
    }
    const click = page.waitForResponse((r) => r.url().endsWith('/api/search/v1/search/clicks'))
    await page.getByTestId('search-hit-title').first().click()
    await expectAnswer(click, 'the click report', 204)

    // The editor: this week's report lists the word; a synonym from it.
    await loginTo(page, 'editor', '/office/portal/search-analytics')
    const zero = page.getByTestId('analytics-zero')
    const row = zero.locator('tr', { hasText: WORD })
    for (let i = 0; i < 10 && !(await row.count()); i++) {
      await page.waitForTimeout(1000) // the log is written in the background, every 2 s at most
      await page.reload()
      await page.getByTestId('analytics-totals').waitFor()
    }
    await row.waitFor()
    assert.ok(Number(await page.getByTestId('analytics-top').locator('tbody tr').count()) > 0, 'top queries are listed')
    await page.screenshot({ path: join(SHOTS, 'analytics-report.png'), fullPage: true })

    await row.getByTestId('add-synonym').click()
    const text = page.getByTestId('synonyms-text')
    assert.match(await text.inputValue(), new RegExp(`${WORD}，$`), 'a group is started with the word')
    await page.getByTestId('synonyms-save').click()
    const lineError = page.locator('.el-form-item__error', { hasText: '行' })
    await lineError.waitFor()
    const lines = (await text.inputValue()).split('\n').length
    assert.match(await lineError.textContent(), new RegExp(`第 ${lines} 行`), 'the error names the incomplete line')
    await page.screenshot({ path: join(SHOTS, 'analytics-synonym-error.png'), fullPage: true })

    await text.press('End')
    await text.pressSequentially('营商环境')
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/search/v1/synonyms') && r.request().method() === 'PUT')
    await page.getByTestId('synonyms-save').click()
    await expectAnswer(saved, 'saving the synonyms', 200)
    await page.locator('.el-message--success').waitFor()
    await page.screenshot({ path: join(SHOTS, 'analytics-synonyms.png'), fullPage: true })

    // The reader again: the word now finds 营商环境's items.
    await page.goto(`${BASE_URL}/search?q=${WORD}`)
    assert.ok((await results(page)) > 0, `${WORD} finds 营商环境's items after the synonym`)
  })
})
