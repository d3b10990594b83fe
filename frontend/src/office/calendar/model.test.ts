import { describe, expect, it } from 'vitest'
import type { YearData } from './api'
import { datesBetween, isWeekend, monthsOf, summary } from './model'

// The 2026 Spring Festival as the State Council's notice gives it.
const y2026: YearData = {
  year: 2026,
  source: { title: '国务院办公厅关于2026年部分节假日安排的通知' },
  holidays: [{ name: '春节', first: '2026-02-15', last: '2026-02-23' }],
  workdays: [
    { date: '2026-02-14', for: '春节' },
    { date: '2026-02-28', for: '春节' },
  ],
}

describe('month grids', () => {
  it('starts each week on Monday and pads the month', () => {
    const jan = monthsOf(2026, y2026)[0]
    // 1 January 2026 is a Thursday: three empty cells first.
    expect(jan.weeks[0].slice(0, 4).map((d) => d?.day ?? null)).toEqual([null, null, null, 1])
    expect(jan.weeks.every((w) => w.length === 7)).toBe(true)
    expect(jan.weeks.flat().filter(Boolean)).toHaveLength(31)
  })

  it('marks the holiday, the make-up days and the weekends', () => {
    const feb = monthsOf(2026, y2026)[1].weeks.flat().filter((d) => d !== null)
    const kind = (day: number) => feb[day - 1].kind
    expect(kind(14)).toBe('makeup') // Saturday worked
    expect(feb[13].name).toBe('春节')
    expect([15, 16, 20, 23].map(kind)).toEqual(['holiday', 'holiday', 'holiday', 'holiday'])
    expect(kind(24)).toBe('work')
    expect(kind(28)).toBe('makeup')
    expect(kind(7)).toBe('weekend')
    expect(monthsOf(2026, y2026)[1].weeks.flat().filter(Boolean)).toHaveLength(28)
  })

  it('knows leap years and a year without data', () => {
    const feb = monthsOf(2028)[1].weeks.flat().filter((d) => d !== null)
    expect(feb).toHaveLength(29)
    expect(feb.some((d) => d.kind === 'holiday' || d.kind === 'makeup')).toBe(false)
  })
})

describe('helpers', () => {
  it('counts days off and make-up days', () => {
    expect(summary(y2026)).toEqual({ daysOff: 9, makeup: 2 })
    expect(summary(undefined)).toEqual({ daysOff: 0, makeup: 0 })
  })
  it('lists dates across a month end', () => {
    expect(datesBetween('2026-09-30', '2026-10-02')).toEqual(['2026-09-30', '2026-10-01', '2026-10-02'])
    expect(datesBetween('2026-10-02', '2026-10-01')).toEqual([])
  })
  it('tells weekends', () => {
    expect(isWeekend('2026-02-14')).toBe(true)
    expect(isWeekend('2026-02-16')).toBe(false)
  })
})
