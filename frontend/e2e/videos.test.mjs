// End-to-end: video on demand (视频点播). 信息处's editor uploads a small
// WebM for 信息处 alone, with progress; it appears in the library with its
// poster and plays (currentTime advances, the bytes streamed with Range from
// the media store). 陈晓燕 (staff, 秘书二处), outside its audience, neither
// lists it nor opens its player page. Screenshots go to docs/screenshots/.

import assert from 'node:assert/strict'
import { randomBytes, randomInt } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { loginTo, logout, pick, useBrowser, withPage } from './browser.mjs'

useBrowser()

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = join(HERE, '..', '..', 'docs', 'screenshots')
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

test('an editor uploads a WebM that plays; a reader outside its audience cannot see it', async (t) => {
  const title = `信息处内部培训（${randomInt(1e6)}）`
  // A clip of the demo's with bytes of its own at the end, so the media
  // store keeps it apart from the demo's copy (files are stored by content).
  const clip = Buffer.concat([await readFile(join(HERE, '..', '..', 'officeapi', 'video', 'data', 'training.webm')), randomBytes(16)])
  let id = ''
  await withPage(t, async (page) => {
    await loginTo(page, 'editor', '/office/videos')
    await page.getByTestId('video-card').first().waitFor() // the demo library
    await shot(page, 'videos-library')
    await page.getByTestId('video-upload-open').click()
    await page.getByTestId('video-file').setInputFiles({ name: '培训.webm', mimeType: 'video/webm', buffer: clip })
    await page.getByTestId('video-title').fill(title)
    await page.getByTestId('video-audience').getByText('指定处室').click()
    await pick(page, 'video-departments', '信息处')
    await page.getByTestId('video-title').click() // close the select's list
    await shot(page, 'videos-upload')
    await page.getByTestId('video-submit').click()
    await page.getByTestId('video-upload').waitFor({ state: 'hidden' })
    const card = page.getByTestId('video-card').filter({ hasText: title })
    await card.waitFor()
    await card.click()
    await page.waitForURL((u) => u.pathname.startsWith('/office/videos/'))
    id = new URL(page.url()).pathname.split('/').pop()
    const player = page.getByTestId('video-player')
    await player.waitFor()
    const played = await player.evaluate(async (v) => {
      v.muted = true
      await v.play()
      await new Promise((resolve) => setTimeout(resolve, 1500))
      v.pause()
      return v.currentTime
    })
    assert.ok(played > 0.3, `the video did not play: currentTime ${played}`)
    await shot(page, 'videos-player')
    await logout(page)

    await loginTo(page, 'staff', '/office/videos')
    await page.getByTestId('video-card').first().waitFor() // staff sees the office-wide demo videos…
    assert.equal(await page.getByTestId('video-card').filter({ hasText: title }).count(), 0, 'staff lists a video of 信息处')
    await page.getByTestId('video-search').fill(title)
    await page.getByTestId('video-search').press('Enter')
    await page.getByTestId('video-empty').waitFor() // …and search finds nothing of it
    await page.goto(`${new URL(page.url()).origin}/office/videos/${id}`)
    await page.getByTestId('video-missing').waitFor()
  })
})
