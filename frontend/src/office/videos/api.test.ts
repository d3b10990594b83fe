import { describe, expect, it } from 'vitest'
import { formatDuration } from './api'

describe('formatDuration', () => {
  it('writes minutes and seconds, hours when long, and says when unknown', () => {
    expect(formatDuration(4)).toBe('0:04')
    expect(formatDuration(247.4)).toBe('4:07')
    expect(formatDuration(3903)).toBe('1:05:03')
    expect(formatDuration(0)).toBe('时长未知')
    expect(formatDuration(undefined)).toBe('时长未知')
  })
})
