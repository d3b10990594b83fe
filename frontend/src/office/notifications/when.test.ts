import { describe, expect, it } from 'vitest'
import { when } from './when'
import { safeLink } from './api'

describe('when', () => {
  it('shows the time today and the date before', () => {
    const now = new Date(2026, 11, 7, 15, 0)
    expect(when(new Date(2026, 11, 7, 9, 5).toISOString(), now)).toBe('09:05')
    expect(when(new Date(2026, 11, 6, 18, 30).toISOString(), now)).toBe('12月6日 18:30')
  })
})

describe('safeLink', () => {
  it('follows only the office SPA’s own paths', () => {
    expect(safeLink('/office/meetings/m1')).toBe('/office/meetings/m1')
    expect(safeLink('javascript:alert(1)')).toBeNull()
    expect(safeLink('//evil.example/office')).toBeNull()
    expect(safeLink('https://evil.example/office')).toBeNull()
    expect(safeLink(undefined)).toBeNull()
  })
})
