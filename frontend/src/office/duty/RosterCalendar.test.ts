import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import RosterCalendar from './RosterCalendar.vue'
import { dutyDay, type Day } from './api'

const p = (userId: string, name: string) => ({ userId, name })
const day = (date: string): Day => ({ date, leader: p('l', '王建国'), main: p('m', '林晓峰'), deputy: p('d', '周丽') })

describe('RosterCalendar', () => {
  it('puts the first of the month under its weekday, Monday first, and marks today and my duties', () => {
    // 2026-12-01 is a Tuesday: one blank before it.
    const days = [day('2026-12-01'), day('2026-12-02')]
    days[1].deputy = p('me', '陈晓燕')
    const w = mount(RosterCalendar, { props: { month: '2026-12', days, today: '2026-12-02', me: 'me' } })
    const cells = w.findAll('.cell')
    expect(cells[0].classes()).toContain('empty')
    expect(cells[1].attributes('data-date')).toBe('2026-12-01')
    expect(cells[1].text()).toContain('带班王建国')
    expect(cells[2].classes()).toEqual(expect.arrayContaining(['today', 'mine']))
    expect(cells[1].classes()).not.toContain('mine')
  })
})

describe('dutyDay', () => {
  it('counts a night call before 08:30 (Shanghai) to the day before, wherever the browser is', () => {
    expect(dutyDay(new Date(Date.UTC(2026, 11, 5, 18, 0)))).toBe('2026-12-05') // 02:00 on the 6th in Shanghai
    expect(dutyDay(new Date(Date.UTC(2026, 11, 6, 0, 30)))).toBe('2026-12-06') // 08:30
  })
})
