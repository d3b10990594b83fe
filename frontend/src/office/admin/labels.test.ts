import { describe, expect, it } from 'vitest'
import { auditQuery } from '../../api/admin'
import { visibleMenu } from '../menu'
import { actionLabel, adminTabs, byChineseName, requestableKinds } from './labels'

describe('officers console', () => {
  it('shows its menu entry and tabs only to the officers, each its own', () => {
    expect(visibleMenu(['office.read']).some((m) => m.path === 'admin')).toBe(false)
    expect(visibleMenu(undefined).some((m) => m.path === 'admin')).toBe(false)
    expect(visibleMenu(['audit.read']).some((m) => m.path === 'admin')).toBe(true)
    expect(adminTabs(['user.manage', 'org.manage', 'config.manage']).map((t) => t.path)).toEqual(['users', 'org', 'changes'])
    expect(adminTabs(['grant.manage', 'policy.manage']).map((t) => t.path)).toEqual(['grants', 'policy', 'changes'])
    expect(adminTabs(['audit.read']).map((t) => t.path)).toEqual(['changes', 'audit'])
    expect(adminTabs(['office.read', 'info.item.edit'])).toEqual([])
  })

  it('offers each officer the requests its role may make', () => {
    expect(requestableKinds(['user.manage'])).toEqual(['password_reset', 'disable', 'enable', 'unlock', 'display_name'])
    expect(requestableKinds(['grant.manage'])).toEqual(['clearance', 'revoke_grant'])
    expect(requestableKinds(['audit.read'])).toEqual([])
  })

  it('sorts people by name in pinyin order', () => {
    const names = ['王建国', '陈晓燕', '李文静', '周丽', '张明华', '安全审计员'].map((displayName) => ({ displayName }))
    expect(byChineseName(names).map((u) => u.displayName)).toEqual(['安全审计员', '陈晓燕', '李文静', '王建国', '张明华', '周丽'])
  })

  it('names audit events in Chinese and builds the filter query', () => {
    expect(actionLabel('auth.lockout')).toBe('账号锁定')
    expect(actionLabel('x.unknown')).toBe('x.unknown')
    expect(auditQuery({ actor: '', action: 'auth', outcome: 'failure', from: '2026-03-01T00:00:00.000Z' }, { after: undefined, size: 50 })).toBe(
      '?action=auth&outcome=failure&from=2026-03-01T00%3A00%3A00.000Z&size=50',
    )
    expect(auditQuery({})).toBe('')
  })
})
