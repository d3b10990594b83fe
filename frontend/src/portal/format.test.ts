import { describe, expect, it } from 'vitest'
import { formatDate, formatSize, isVoid, policyRows, validityTagType, withdrawalOf } from './format'

describe('formatDate', () => {
  it('shows the date in China Standard Time', () => {
    expect(formatDate('2026-03-04T18:30:00Z')).toBe('2026-03-05')
    expect(formatDate('2026-03-05')).toBe('2026-03-05')
  })
  it('is empty for missing, invalid or zero times', () => {
    expect(formatDate(undefined)).toBe('')
    expect(formatDate('not a date')).toBe('')
    expect(formatDate('0001-01-01T00:00:00Z')).toBe('')
  })
})

describe('policyRows', () => {
  it('lists the metadata in order, joint issuers joined, blanks as dashes', () => {
    const rows = policyRows({
      publishedAt: '2026-03-06T02:00:00Z',
      policy: {
        docNumber: '皖政办〔2026〕12号',
        issuers: ['省人民政府办公厅', '省财政厅'],
        genre: '通知',
        writtenAt: '2026-03-01T00:00:00+08:00',
        effectiveAt: '2026-04-01T00:00:00+08:00',
        validity: '有效',
      },
    })
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ['文号', '皖政办〔2026〕12号'],
      ['发文机关', '省人民政府办公厅、省财政厅'],
      ['文种', '通知'],
      ['成文日期', '2026-03-01'],
      ['发布日期', '2026-03-06'],
      ['施行日期', '2026-04-01'],
      ['失效日期', '—'],
      ['效力状态', '有效'],
    ])
  })
  it('is empty for items without policy metadata', () => {
    expect(policyRows({ publishedAt: '2026-01-01T00:00:00Z' })).toEqual([])
  })
})

describe('validity helpers', () => {
  it('colours and flags void files', () => {
    expect(validityTagType('有效')).toBe('success')
    expect(validityTagType('部分失效')).toBe('warning')
    expect(validityTagType('已废止')).toBe('danger')
    expect(validityTagType(undefined)).toBe('info')
    expect(isVoid('已失效')).toBe(true)
    expect(isVoid('已修改')).toBe(false)
  })
  it('formats sizes', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(2048)).toBe('2.0 KB')
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB')
    expect(formatSize(0)).toBe('')
  })
})

describe('withdrawalOf', () => {
  it('reads the notice of a 410 problem, ignoring anything else', () => {
    expect(withdrawalOf({ reason: '该信息已由发布部门撤回', at: '2026-03-02T01:00:00Z' })).toEqual({
      reason: '该信息已由发布部门撤回',
      at: '2026-03-02T01:00:00Z',
    })
    expect(withdrawalOf({ reason: '' })).toBeNull()
    expect(withdrawalOf('撤回')).toBeNull()
    expect(withdrawalOf(undefined)).toBeNull()
  })
})
