import { describe, expect, it } from 'vitest'
import { errorLine, isoWeek, recentWeeks, withNewGroup } from './searchAnalytics'

describe('searchAnalytics', () => {
  it('counts ISO weeks in China time', () => {
    expect(isoWeek(new Date('2026-01-01T04:00:00Z'))).toBe('2026-W01')
    expect(isoWeek(new Date('2025-12-28T16:30:00Z'))).toBe('2026-W01') // Monday 29 Dec, 00:30 in Beijing
    expect(isoWeek(new Date('2027-01-01T04:00:00Z'))).toBe('2026-W53')
    expect(isoWeek(new Date('2026-03-01T16:30:00Z'))).toBe('2026-W10')
    expect(isoWeek(new Date('2026-03-01T15:30:00Z'))).toBe('2026-W09')
    expect(recentWeeks(new Date('2026-03-04T04:00:00Z'), 3)).toEqual(['2026-W10', '2026-W09', '2026-W08'])
  })

  it('starts a group for a query once', () => {
    expect(withNewGroup('发改委，发展和改革委员会\n', '公基金')).toBe('发改委，发展和改革委员会\n公基金，')
    expect(withNewGroup('a,b', 'c')).toBe('a,b\nc，')
    expect(withNewGroup('公基金，公积金', '公基金')).toBe('公基金，公积金')
  })

  it('reads the line a problem names', () => {
    expect(errorLine('第 3 行：每组至少要有两个不同的词')).toBe(3)
    expect(errorLine('同义词表不能为空')).toBe(0)
  })
})
