// End-to-end: the live desktop. One person's desktop is open in one browser
// context; another person acts in another context (or through the API); the
// new 待办 appears on the first desktop without a reload, told over the
// desktop's event stream (GET /desktop/events).
//   1. 陈晓燕 (staff) asks for leave; her head 刘志强 (chuzhang) sees 请假审批.
//   2. 刘志强 approves the demo 公文 at 审核; the next holder, the leader
//      王建国 (director, 签发), sees it arrive.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { api, apiLogin, loginTo, OFFICE_API, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** Opens username's desktop and waits until its live stream is connected. */
async function openDesktop(page, username) {
  await loginTo(page, username, '/office')
  await page.locator('[data-testid="desktop-live"][data-state="live"]').waitFor()
  await page.getByText('实时', { exact: true }).waitFor()
  // Marks this document: a reload would lose the mark.
  await page.evaluate(() => {
    window.__sameDocument = true
  })
}

async function notReloaded(page) {
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the desktop was reloaded')
}

test('a leave request appears live on the approver’s open desktop', async (t) => {
  await withPage(t, async (head) => {
    await openDesktop(head, 'chuzhang')
    await withPage(t, async (staff) => {
      const day = String(randomInt(10, 28))
      await loginTo(staff, 'staff', '/office/leave')
      const form = staff.getByTestId('leave-form')
      await form.getByText('事假').click()
      await staff.getByTestId('leave-reason').fill(`实时桌面测试 ${day}`)
      const [start, end] = await form.locator('.el-range-input').all()
      await start.fill(`2026-11-${day}`)
      await end.fill(`2026-11-${day}`)
      await end.press('Enter')
      await staff.getByTestId('leave-submit').click()
      await staff.getByTestId('leave-mine').getByText(`实时桌面测试 ${day}`).waitFor()

      await head
        .getByTestId('desktop-tasks')
        .locator('li', { hasText: `2026-11-${day}` })
        .getByText('请假审批')
        .waitFor()
      await notReloaded(head)
    })
  })
})

test('a 公文 approved at 审核 appears live on the 签发 holder’s open desktop', async (t) => {
  const title = '关于做好2026年春节期间值班工作的通知'
  const chuzhang = await apiLogin('chuzhang')
  const tasks = await api('GET', `${OFFICE_API}/tasks`, chuzhang.accessToken)
  assert.equal(tasks.status, 200, JSON.stringify(tasks.body))
  const task = tasks.body.items.find((x) => x.title === title)
  assert.ok(task, `chuzhang holds no task of the demo 公文 《${title}》: ${JSON.stringify(tasks.body.items)}`)

  await withPage(t, async (director) => {
    await openDesktop(director, 'director')
    const todo = director.getByTestId('desktop-tasks').locator('li', { hasText: title })
    assert.equal(await todo.count(), 0, 'the director holds it before the approval')

    const r = await api('POST', `${OFFICE_API}/tasks/${task.id}/actions`, chuzhang.accessToken, {
      action: 'approve',
      opinion: '同意，请领导签发',
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))

    await todo.waitFor()
    await notReloaded(director)
  })
  await api('POST', `${OFFICE_API}/auth/logout`, '', { refreshToken: chuzhang.refreshToken })
})
