import { describe, expect, it } from 'vitest'
import { canPublish, checkWithdrawal, liveActions, liveNote, liveOf } from './live'

describe('liveActions', () => {
  it('offers withdrawal only while published, redirect while readable, removal until gone', () => {
    expect(liveActions({ state: 'published' })).toEqual(['withdraw', 'schedule', 'redirect', 'remove'])
    expect(liveActions({ state: 'draft', live: 'published' })).toEqual(['withdraw', 'schedule', 'redirect', 'remove'])
    expect(liveActions({ state: 'withdrawn', live: 'withdrawn' })).toEqual(['redirect', 'remove'])
    expect(liveActions({ state: 'draft' })).toEqual(['remove'])
    expect(liveActions({ state: 'redirected', live: 'redirected' })).toEqual(['remove'])
    expect(liveActions({ state: 'gone', live: 'gone' })).toEqual([])
  })
})

describe('liveOf and liveNote', () => {
  it('say what readers see when the working state differs, and a scheduled withdrawal', () => {
    expect(liveOf({ state: 'in_review' })).toBe('')
    expect(liveOf({ state: 'withdrawn' })).toBe('withdrawn')
    expect(liveNote({ state: 'draft', live: 'published' })).toBe('线上：已发布')
    expect(liveNote({ state: 'published', live: 'published' })).toBe('')
    expect(liveNote({ state: 'published', live: 'published', withdrawAt: '2026-03-05T02:30:00Z' })).toBe('定时撤回：2026-03-05 10:30')
  })
})

describe('checkWithdrawal', () => {
  const now = new Date('2026-03-02T01:00:00Z')
  it('needs a reason, and a future time when scheduled', () => {
    expect(checkWithdrawal(' ', null, false, now)).toEqual({ reason: '请填写撤回原因（将向读者显示）' })
    expect(checkWithdrawal('过时', null, false, now)).toEqual({})
    expect(checkWithdrawal('过时', null, true, now)).toEqual({ at: '请选择撤回时间' })
    expect(checkWithdrawal('过时', new Date('2026-03-02T00:59:00Z'), true, now)).toEqual({ at: '撤回时间须晚于当前时间' })
    expect(checkWithdrawal('过时', new Date('2026-03-03T00:00:00Z'), true, now)).toEqual({})
  })
})

describe('canPublish', () => {
  it('looks for portal.item.publish', () => {
    expect(canPublish(['portal.item.review', 'portal.item.publish'])).toBe(true)
    expect(canPublish(['portal.item.edit'])).toBe(false)
    expect(canPublish(undefined)).toBe(false)
  })
})
