import { describe, expect, it } from 'vitest'
import { queryString } from './api'
import { directionLabel, eventLabel, fixityLabel, fixityTag, partLabel, shortSum, sizeLabel, statusLabel } from './labels'

describe('archive labels', () => {
  it('names statuses and fixity results, unknown ones as given', () => {
    expect(statusLabel('revoked')).toBe('已撤销')
    expect(fixityLabel('broken')).toBe('校验不符')
    expect(fixityTag('broken')).toBe('danger')
    expect(statusLabel('other')).toBe('other')
  })
  it('names an imported record\'s direction, part and event', () => {
    expect(directionLabel('imported')).toBe('导入')
    expect(directionLabel('outgoing')).toBe('发文')
    expect(partLabel('original')).toBe('原件（导入）')
    expect(eventLabel('imported')).toBe('导入')
  })
  it('shortens digests and sizes', () => {
    expect(shortSum('a'.repeat(64))).toBe('aaaaaaaa…aaaaaaaa')
    expect(sizeLabel(2048)).toBe('2.0 KB')
    expect(sizeLabel(12)).toBe('12 B')
  })
  it('leaves empty filters out of the query', () => {
    expect(queryString({ year: 2026, retention: '', q: '春节', docType: undefined })).toBe('?year=2026&q=%E6%98%A5%E8%8A%82')
    expect(queryString({})).toBe('')
  })
})
