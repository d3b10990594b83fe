// The calendar's arithmetic, apart from the screen: China days (the office
// keeps China time whatever the browser's zone), week and month grids, and
// which occurrences fall on a day.

import type { Occurrence } from './api'

const CHINA = 8 * 3600 * 1000
const DAY = 24 * 3600 * 1000

/** The China day of an instant, as 2026-03-02. */
export function chinaDay(t: Date | string): string {
  return new Date(new Date(t).getTime() + CHINA).toISOString().slice(0, 10)
}

/** The China time of day of an instant, as 09:30. */
export function chinaTime(t: Date | string): string {
  return new Date(new Date(t).getTime() + CHINA).toISOString().slice(11, 16)
}

/** The instant of a China day and time (2026-03-02, 09:30), as RFC 3339. */
export function chinaInstant(day: string, time = '00:00'): string {
  return `${day}T${time}:00+08:00`
}

/** day + n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + n * DAY).toISOString().slice(0, 10)
}

/** The Monday of a day's week. */
export function mondayOf(day: string): string {
  const wd = (new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7
  return addDays(day, -wd)
}

/** The seven days of the week of day. */
export function weekDays(day: string): string[] {
  const m = mondayOf(day)
  return Array.from({ length: 7 }, (_, i) => addDays(m, i))
}

/** The month grid of day's month: whole weeks, Monday first (35 or 42 days). */
export function monthDays(day: string): string[] {
  const first = day.slice(0, 8) + '01'
  const start = mondayOf(first)
  const next = addDays(first, 32).slice(0, 8) + '01'
  const out: string[] = []
  for (let d = start; d < next || out.length % 7 !== 0; d = addDays(d, 1)) out.push(d)
  return out
}

/** The occurrences on a China day (an all-day or multi-day one on each of its days), timed ones by start. */
export function onDay(items: Occurrence[], day: string): Occurrence[] {
  const start = Date.parse(chinaInstant(day))
  const end = start + DAY
  return items.filter((o) => Date.parse(o.start) < end && Date.parse(o.end) > start)
}

export const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']

/** The colour class of an occurrence's kind: own events, meetings, the leaders' schedule. */
export const KIND_LABELS: Record<string, string> = { event: '我的日程', meeting: '会议', leader: '领导活动' }
