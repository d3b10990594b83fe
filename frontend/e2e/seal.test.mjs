// End-to-end: the electronic seal (电子印章). The security administrator
// sees every issuing unit with the key the demo gave it and its drawn seal;
// a member of staff verifying a PDF that carries no seal is told so.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loginTo, logout, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

test('the security administrator sees the units’ seals; an unsealed PDF fails verification', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'secadmin', '/office/seal')
    await page.getByRole('tab', { name: '印章管理' }).click()
    const table = page.getByTestId('seal-units')
    for (const unit of ['省政府办公厅', '合肥市人民政府办公室', '省发展和改革委员会']) {
      const row = table.locator('tr', { hasText: unit })
      await row.locator('img').waitFor()
      await row.getByText('更换密钥').waitFor() // the demo gave it a key
      const width = await row.locator('img').evaluate((img) => img.complete && img.naturalWidth)
      assert.ok(width > 100, `${unit}: the seal image did not load`)
    }
    await screenshot(page, 'seal keys')
    await logout(page)

    await loginTo(page, 'staff', '/office/seal')
    await page.getByTestId('seal-verify-upload').locator('input[type=file]').setInputFiles([
      { name: '未盖章.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') },
    ])
    await page.getByText('文件未加盖电子印章').waitFor()
  })
})
