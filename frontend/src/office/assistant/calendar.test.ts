import { describe, expect, it } from 'vitest'
import { addDays, chinaDay, chinaTime, monthDays, onDay, weekDays } from './calendar'
import type { Occurrence } from './api'

const occ = (title: string, start: string, end: string, allDay = false): Occurrence =>
  ({ kind: 'event', id: title, title, start, end, allDay, readOnly: false, classification: '非密' }) as Occurrence

describe('the calendar in China days', () => {
  it('reads instants as China days and times', () => {
    expect(chinaDay('2026-03-01T16:30:00Z')).toBe('2026-03-02')
    expect(chinaTime('2026-03-01T16:30:00Z')).toBe('00:30')
  })
  it('makes weeks Monday first and months of whole weeks', () => {
    expect(weekDays('2026-03-04')).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'])
    const m = monthDays('2026-02-15') // February 2026 begins on a Sunday
    expect(m[0]).toBe('2026-01-26')
    expect(m.length % 7).toBe(0)
    expect(m).toContain('2026-02-28')
    expect(m.at(-1)).toBe('2026-03-01')
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
  })
  it('puts an event on each China day it covers', () => {
    const items = [
      occ('早会', '2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z'),
      occ('出差', '2026-03-02T16:00:00Z', '2026-03-04T16:00:00Z', true), // 3rd and 4th, China time
    ]
    expect(onDay(items, '2026-03-02').map((o) => o.title)).toEqual(['早会'])
    expect(onDay(items, '2026-03-03').map((o) => o.title)).toEqual(['出差'])
    expect(onDay(items, '2026-03-04').map((o) => o.title)).toEqual(['出差'])
    expect(onDay(items, '2026-03-05')).toEqual([])
  })
})
