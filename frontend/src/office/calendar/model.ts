// The working calendar's month grids: pure functions over one year's data
// (holiday periods and make-up working days, as officeapi/workcal holds
// them), so that what the page marks is tested without a browser.

import type { YearData } from './api'

/** The holiday names a period may have (workcal.Names). */
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']

export type DayKind = 'holiday' | 'makeup' | 'weekend' | 'work'

export interface Day {
  date: string // 2026-02-16
  day: number
  kind: DayKind
  /** The holiday a day off belongs to, or the one a make-up day is worked for. */
  name?: string
}

/** A month: its weeks, Monday first, with null where the month has no day. */
export interface Month {
  month: number // 1..12
  weeks: (Day | null)[][]
}

const pad = (n: number) => String(n).padStart(2, '0')
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`

/** Every date from first to last inclusive (both 2006-01-02). */
export function datesBetween(first: string, last: string): string[] {
  const out: string[] = []
  const end = Date.parse(last + 'T00:00:00Z')
  for (let t = Date.parse(first + 'T00:00:00Z'); t <= end && out.length < 400; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

/** What each date the year's data names is: a day off (by holiday) or a make-up working day. */
export function marks(data: YearData | undefined): Map<string, { kind: 'holiday' | 'makeup'; name: string }> {
  const m = new Map<string, { kind: 'holiday' | 'makeup'; name: string }>()
  for (const h of data?.holidays ?? []) for (const d of datesBetween(h.first, h.last)) m.set(d, { kind: 'holiday', name: h.name })
  for (const w of data?.workdays ?? []) m.set(w.date, { kind: 'makeup', name: w.for })
  return m
}

/** The twelve month grids of year, each day marked by data (weekends by their weekday otherwise). */
export function monthsOf(year: number, data?: YearData): Month[] {
  const marked = marks(data)
  const out: Month[] = []
  for (let month = 1; month <= 12; month++) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
    const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7 // Monday = 0
    const cells: (Day | null)[] = Array.from({ length: lead }, () => null)
    for (let d = 1; d <= days; d++) {
      const date = isoDate(year, month, d)
      const weekday = (lead + d - 1) % 7
      const mark = marked.get(date)
      cells.push({ date, day: d, kind: mark?.kind ?? (weekday >= 5 ? 'weekend' : 'work'), name: mark?.name })
    }
    while (cells.length % 7) cells.push(null)
    const weeks: (Day | null)[][] = []
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
    out.push({ month, weeks })
  }
  return out
}

/** How many days off and make-up days the year's data gives, for the page's summary. */
export function summary(data: YearData | undefined): { daysOff: number; makeup: number } {
  let daysOff = 0
  for (const h of data?.holidays ?? []) daysOff += datesBetween(h.first, h.last).length
  return { daysOff, makeup: data?.workdays?.length ?? 0 }
}

/** Whether a date is a Saturday or Sunday: only those may be make-up working days. */
export const isWeekend = (date: string) => [0, 6].includes(new Date(date + 'T00:00:00Z').getUTCDay())
