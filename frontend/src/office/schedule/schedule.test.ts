import { describe, expect, it } from 'vitest'
import { visibleMenu } from '../menu'
import { isoWeek, timeOf, type Entry, type Stats } from './api'
import { byLeaderOption, byTypeOption, daysOption, monthRange } from './charts'

describe('isoWeek', () => {
  it.each([
    [new Date(2026, 2, 2), '2026-W10'], // a Monday
    [new Date(2026, 2, 8), '2026-W10'], // its Sunday
    [new Date(2026, 11, 31), '2026-W53'], // 2026 has 53 weeks
    [new Date(2027, 0, 3), '2026-W53'], // a Sunday in January still in the year before
    [new Date(2024, 11, 30), '2025-W01'], // a Monday in December already in the next
  ])('%s is %s', (d, w) => expect(isoWeek(d)).toBe(w))
})

describe('the schedule menu entry', () => {
  it('is shown only with a schedule permission', () => {
    expect(visibleMenu(['office.read', 'leave.apply']).some((m) => m.path === 'schedule')).toBe(false)
    for (const p of ['schedule.view', 'schedule.leader.submit', 'schedule.compile', 'schedule.approve']) {
      expect(visibleMenu(['office.read', p]).some((m) => m.path === 'schedule')).toBe(true)
    }
  })
})

const stats = {
  from: '2026-03-09', to: '2026-03-15', total: 5, days: 8, entries: [],
  byLeader: [
    { leaderId: 'l1', name: '王振华', title: '省长', rank: 1, count: 3, days: 3, daysAway: 2, byType: { 会议: 1, 外事: 1, 调研: 1 } },
    { leaderId: 'l2', name: '刘建明', title: '常务副省长', rank: 2, count: 1, days: 4, daysAway: 4, byType: { 出差: 1 } },
  ],
  byType: [{ key: '会议', count: 1, days: 1 }, { key: '调研', count: 1, days: 2 }],
  byPlace: [],
} as unknown as Stats

describe('the statistics charts', () => {
  it('stack each leader’s activities by type, in rank order', () => {
    const o = byLeaderOption(stats)
    expect(o.xAxis.data).toEqual(['王振华', '刘建明'])
    expect(o.series.find((s) => s.name === '会议')?.data).toEqual([1, 0])
    expect(o.series.find((s) => s.name === '出差')?.data).toEqual([0, 1])
    expect(o.series.reduce((n, s) => n + s.data.reduce((a, b) => a + b, 0), 0)).toBe(4)
  })
  it('show the types as a pie and the days per leader', () => {
    expect(byTypeOption(stats).series[0].data).toEqual([{ name: '会议', value: 1 }, { name: '调研', value: 1 }])
    expect(daysOption(stats).series.map((s) => s.data)).toEqual([[3, 4], [2, 4]])
  })
  it('take a month as its first and last day', () => {
    expect(monthRange('2026-02')).toEqual(['2026-02-01', '2026-02-28'])
    expect(monthRange('2028-02')).toEqual(['2028-02-01', '2028-02-29'])
    expect(monthRange('2026-12')).toEqual(['2026-12-01', '2026-12-31'])
  })
})

describe('timeOf', () => {
  it('names the last day of an activity over several days', () => {
    expect(timeOf({ start: '08:30', end: '17:30', endDate: '2026-03-11' } as Entry)).toBe('08:30–17:30（至03-11）')
    expect(timeOf({ start: '09:00', end: '11:30' } as Entry)).toBe('09:00–11:30')
  })
})
