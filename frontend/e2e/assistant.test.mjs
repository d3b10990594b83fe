// End-to-end: the personal assistant (个人助理). 陈晓燕 (staff) adds an event
// in the week of a meeting she was invited to and sees both side by side,
// the meeting in its own colour; 刘志强 (chuzhang) turns a 公文 task on his
// desk into a to-do from the document's page; the contacts directory finds
// 刘志强 by his pinyin initials. Each test makes its own data (a day of its
// own in 2027, a new document), so re-runs on one server do not collide.

import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { test } from 'node:test'
import { BASE_URL, OFFICE_API, answered, api, apiLogin, expectAnswer, loginTo, screenshot, useBrowser, withPage } from './browser.mjs'

useBrowser()

const inputOf = (page, testId) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()

/** Books a meeting with staff as an attendee on a free day of 2027, as 会务处 (huiwu); returns its title and day. */
async function meetingForStaff() {
  const huiwu = await apiLogin('huiwu')
  const staff = await apiLogin('staff')
  const me = await api('GET', `${OFFICE_API}/me`, staff.accessToken)
  const rooms = await api('GET', `${OFFICE_API}/meetings/rooms`, huiwu.accessToken)
  assert.equal(rooms.status, 200, JSON.stringify(rooms.body))
  const title = `季度工作协调会（${randomInt(1e6)}）`
  for (let tries = 0; tries < 5; tries++) {
    const day = `2027-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(10, 29))}`
    const r = await api('POST', `${OFFICE_API}/meetings`, huiwu.accessToken, {
      title, type: '工作会议', startAt: `${day}T10:00:00+08:00`, endAt: `${day}T11:30:00+08:00`,
      roomId: rooms.body.items[0].id, attendees: [{ userId: me.body.user.id }],
    })
    if (r.status === 201) return { title, day }
    assert.equal(r.status, 409, JSON.stringify(r.body)) // that day's room is taken: another day
  }
  assert.fail('no free day for the meeting')
}

test('an event is added to the week view beside a meeting', async (t) => {
  const { title: meeting, day } = await meetingForStaff()
  const event = `准备会议材料（${randomInt(1e6)}）`
  await withPage(t, async (page) => {
    await loginTo(page, 'staff', `/office/assistant?tab=calendar&day=${day}`)
    const cell = page.locator(`[data-testid="cal-day"][data-day="${day}"]`)
    await cell.locator('[data-kind="meeting"]', { hasText: meeting }).waitFor()

    await page.getByTestId('cal-new').click()
    await inputOf(page, 'event-title').fill(event)
    await inputOf(page, 'event-place').fill('秘书二处')
    const saved = answered(page, 'POST', '/assistant/events')
    await page.getByTestId('event-save').click()
    await expectAnswer(saved, 'the new event', 201)

    // Both on the day: the event (09:00, own colour) before the meeting (10:00).
    const ownItem = cell.locator('[data-kind="event"]', { hasText: event })
    await ownItem.waitFor()
    const kinds = await cell.getByTestId('cal-item').evaluateAll((els) => els.map((e) => e.dataset.kind))
    assert.deepEqual(kinds, ['event', 'meeting'])
    const [own, theirs] = await Promise.all([ownItem, cell.locator('[data-kind="meeting"]')].map((l) =>
      l.evaluate((e) => getComputedStyle(e).backgroundColor)))
    assert.notEqual(own, theirs, 'the meeting is drawn in another colour')
    await screenshot(page, 'assistant-week')

    // The meeting is read-only here: it opens its own page.
    await cell.locator('[data-kind="meeting"]').click()
    await page.waitForURL((u) => u.pathname.startsWith('/office/meetings/'))
  })
})

test('a to-do is made from a 公文 task on the document page', async (t) => {
  const title = `关于做好年终安全检查的通知（测试${randomInt(100, 99999)}）`
  const staff = await apiLogin('staff')
  const created = await api('POST', `${OFFICE_API}/documents`, staff.accessToken, {
    direction: 'outgoing', docType: '通知', title, classification: '非密', issuer: '安徽省人民政府办公厅', issuerCode: '皖政办',
    mainTo: ['厅机关各处室'], body: '<p>现将有关事项通知如下。</p>',
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.equal((await api('POST', `${OFFICE_API}/documents/${id}/submit`, staff.accessToken)).status, 200)
  await withPage(t, async (page) => {
    await loginTo(page, 'chuzhang', `/office/documents/${id}`)
    const add = answered(page, 'POST', '/assistant/todos')
    await page.getByTestId('add-todo').click()
    const todo = await (await expectAnswer(add, 'the to-do', 201)).json()
    assert.equal(todo.title, title)
    assert.equal(todo.link, `/office/documents/${id}`)

    await page.goto(`${BASE_URL}/office/assistant?tab=todos`)
    const row = page.getByTestId('todo-list').locator('tr', { hasText: title })
    await row.waitFor()
    await row.getByTestId('todo-source').waitFor()
    await screenshot(page, 'assistant-todos')
    await row.getByTestId('todo-source').click()
    await page.waitForURL((u) => u.pathname === `/office/documents/${id}`)
  })
})

test('the contacts directory finds people by pinyin initials', async (t) => {
  await withPage(t, async (page) => {
    await loginTo(page, 'staff', '/office/assistant?tab=contacts')
    const list = page.getByTestId('contacts-list')
    await list.getByText('王建国').waitFor()
    const searched = answered(page, 'GET', '/contacts')
    await inputOf(page, 'contacts-search').fill('lzq')
    await expectAnswer(searched, 'the search', 200)
    await list.locator('tbody tr', { hasText: '刘志强' }).waitFor()
    assert.equal(await list.locator('tbody tr').count(), 1)
    await list.locator('tbody tr', { hasText: '刘志强' }).click()
    const card = page.getByTestId('contact-card')
    await card.getByText('秘书二处').first().waitFor()
    await card.getByText(/0551-/).waitFor()
    await screenshot(page, 'assistant-contacts')
  })
})
