// End-to-end: meetings (会务). 会务处's 林会务 (huiwu) books a meeting with two
// leaders on the rostrum and three departments invited (two seats each),
// arranges the seating — the rostrum centre outward, the departments'
// seats held in their names — downloads the name cards (a PDF), then moves
// the meeting to the afternoon in the 201 room: the seating follows into
// the smaller room's layout and the change is on record.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { answered, expectAnswer, loginTo, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

/** Picks options by their text in a multiple select (its popper-class is <testId>-popper), then closes its list. */
async function pickAll(page, testId, names) {
  for (const name of names) {
    await page.getByTestId(testId).click()
    await page.keyboard.type(name)
    await page.locator(`.${testId}-popper .el-select-dropdown__item`).filter({ hasText: name }).first().click()
    // A click on the form's title field closes the list. (A click at the
    // page's corner landed on the menu's link to the desktop now and then,
    // and Escape does not close a filterable multiple select's list.)
    await inputOf(page, 'meeting-title').click()
    await page.locator(`.${testId}-popper.el-select__popper`).first().waitFor({ state: 'hidden' })
  }
}

/** The input of an Element Plus field with the given test id (on the input itself or around it). */
const inputOf = (page, testId) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()

test('book a meeting, invite three departments, arrange the seating, download the name cards', async (t) => {
  const title = `全省信息化工作推进会（${randomInt(1e6)}）`
  // A day of its own in 2027, so that re-runs on one server do not collide.
  const day = `2027-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(10, 29))}`
  await withPage(t, async (page) => {
    await loginTo(page, 'huiwu', '/office/meetings')
    await page.getByTestId('meeting-new').click()
    await inputOf(page, 'meeting-title').fill(title)
    await page.getByTestId('meeting-room').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '第一会议室' }).first().click()
    for (const [placeholder, time] of [['选择开始时间', '09:00'], ['选择结束时间', '11:00']]) {
      const input = page.getByPlaceholder(placeholder)
      await input.fill(`${day} ${time}`)
      await input.press('Enter')
    }
    await pickAll(page, 'meeting-rostrum', ['王建国', '李国华'])
    await pickAll(page, 'meeting-depts', ['信息处', '督查室', '秘书二处'])
    await inputOf(page, 'meeting-seats').fill('2')
    await inputOf(page, 'meeting-seats').press('Tab')
    const checked = answered(page, 'POST', '/meetings/conflicts')
    await page.getByTestId('meeting-check').click()
    await expectAnswer(checked, 'the conflict check', 200)

    const booked = answered(page, 'POST', '/api/office/v1/meetings')
    await page.getByTestId('meeting-submit').click()
    const res = await expectAnswer(booked, 'the booking', 201)
    const { id } = await res.json()
    await page.waitForURL((u) => u.pathname === `/office/meetings/${id}`)
    await page.getByTestId('meeting-attendees').getByText('王建国').waitFor()

    await page.getByTestId('meeting-seating').click()
    await page.waitForURL((u) => u.pathname === `/office/meetings/${id}/seating`)
    const arranged = answered(page, 'POST', `/meetings/${id}/seating`)
    await page.getByTestId('seating-arrange').click()
    const a = await (await expectAnswer(arranged, 'the arrangement', 200)).json()
    // Two on the rostrum: number 1 in the centre, number 2 on his left hand
    // (the audience's right); six seats held for the three departments.
    assert.deepEqual(a.rostrum.map((s) => s.name), ['王建国', '李国华'])
    assert.equal(a.rostrum[1].seat, a.rostrum[0].seat + 1)
    assert.equal(a.audience.filter((s) => s.held).length, 6)
    const chart = page.getByTestId('seating-chart')
    await chart.getByText('王建国').waitFor()
    assert.equal(await chart.locator('.seat.held').count(), 6)
    await screenshot(page, 'meetings-seating')

    const downloading = page.waitForEvent('download')
    await page.getByTestId('seating-namecards').click()
    const file = await downloading
    assert.match(file.suggestedFilename(), /席卡\.pdf$/)
    const bytes = await readFile(await file.path())
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the name cards are a PDF')

    // 改期/换会议室: to 14:00–16:00 in the 201 room.
    await page.goBack()
    await page.waitForURL((u) => u.pathname === `/office/meetings/${id}`)
    await page.getByTestId('meeting-reschedule').click()
    const dialog = page.getByTestId('reschedule-dialog')
    await dialog.getByTestId('reschedule-room').click()
    await page.locator('.reschedule-room-popper .el-select-dropdown__item').filter({ hasText: '201小会议室' }).first().click()
    for (const [placeholder, time] of [['新的开始时间', '14:00'], ['新的结束时间', '16:00']]) {
      const input = dialog.getByPlaceholder(placeholder)
      await input.fill(`${day} ${time}`)
      await input.press('Enter')
    }
    await inputOf(page, 'reschedule-reason').fill('上午另有安排')
    const moved = answered(page, 'POST', `/meetings/${id}/reschedule`)
    await dialog.getByTestId('reschedule-submit').click()
    const after = await (await expectAnswer(moved, 'the reschedule', 200)).json()
    assert.equal(after.roomId, 'small-201')
    // 14:00 in the browser's time zone, as the date picker reads it.
    assert.equal(new Date(after.startAt).getTime(), await page.evaluate((d) => new Date(`${d}T14:00:00`).getTime(), day))
    await page.getByTestId('meeting-changes').getByText('上午另有安排').waitFor()
    await screenshot(page, 'meetings-rescheduled')
    // The seating followed into the small room: the rostrum as it was,
    // the departments' seats still held.
    const reloaded = answered(page, 'GET', `/meetings/${id}/seating`)
    await page.getByTestId('meeting-seating').click()
    const seating = await (await expectAnswer(reloaded, 'the seating', 200)).json()
    assert.equal(seating.roomName, '201小会议室')
    assert.equal(seating.layout.sections.length, 1)
    assert.deepEqual(seating.rostrum.map((s) => s.name), ['王建国', '李国华'])
    assert.equal(seating.audience.filter((s) => s.held).length, 6)
  })
})
