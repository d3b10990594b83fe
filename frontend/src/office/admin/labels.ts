// Names and rules the officers' console shows (三员管理): its tabs and who
// sees them, role and request labels, Chinese ordering, and the audit
// trail's event names.

import type { OfficerChangeKind } from '../../api/admin'

export interface AdminTab {
  path: string
  label: string
  /** Shown to holders of any of these permissions (office-wide). */
  perms: string[]
}

/** The console's pages: the system administrator's, the security administrator's, the auditor's. */
export const ADMIN_TABS: AdminTab[] = [
  { path: 'users', label: '用户管理', perms: ['user.manage'] },
  { path: 'org', label: '处室与岗位', perms: ['org.manage'] },
  { path: 'grants', label: '授权与密级', perms: ['grant.manage'] },
  { path: 'policy', label: '安全策略', perms: ['policy.manage'] },
  { path: 'changes', label: '三员账号变更', perms: ['user.manage', 'grant.manage', 'audit.read'] },
  { path: 'audit', label: '审计日志', perms: ['audit.read'] },
]

/** The tabs a user with these permissions sees. */
export function adminTabs(permissions: readonly string[] | undefined): AdminTab[] {
  return ADMIN_TABS.filter((t) => t.perms.some((p) => permissions?.includes(p)))
}

export const ROLE_NAMES: Record<string, string> = {
  sysadmin: '系统管理员',
  secadmin: '安全保密管理员',
  auditor: '安全审计员',
  leader: '领导',
  dept_head: '处室负责人',
  editor: '信息编辑',
  reviewer: '信息审核',
  clerk: '收发文员',
  staff: '工作人员',
  office_admin: '业务管理员',
}

export const roleName = (key: string | undefined): string => (key ? (ROLE_NAMES[key] ?? key) : '')

export const CLEARANCES = ['非密', '秘密', '机密'] as const

export const CHANGE_KINDS: Record<OfficerChangeKind, { label: string; perm: string }> = {
  password_reset: { label: '重置密码', perm: 'user.manage' },
  disable: { label: '停用账号', perm: 'user.manage' },
  enable: { label: '启用账号', perm: 'user.manage' },
  unlock: { label: '解除锁定', perm: 'user.manage' },
  display_name: { label: '修改姓名', perm: 'user.manage' },
  clearance: { label: '设定密级', perm: 'grant.manage' },
  revoke_grant: { label: '撤销授权', perm: 'grant.manage' },
}

/** The kinds of officer change a holder of these permissions may request. */
export function requestableKinds(permissions: readonly string[] | undefined): OfficerChangeKind[] {
  return (Object.keys(CHANGE_KINDS) as OfficerChangeKind[]).filter((k) => permissions?.includes(CHANGE_KINDS[k].perm))
}

export const CHANGE_STATES: Record<string, string> = {
  requested: '待审批',
  approved: '已批准',
  refused: '已驳回',
  expired: '已过期',
  failed: '执行失败',
}

const collator = new Intl.Collator('zh-Hans-CN-u-co-pinyin')

/** Sorted by display name in Chinese (pinyin) order, as the server sorts them. */
export function byChineseName<T extends { displayName: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => collator.compare(a.displayName, b.displayName))
}

const ACTIONS: Record<string, string> = {
  'auth.login': '登录',
  'auth.lockout': '账号锁定',
  'auth.session.revoke': '会话注销',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.password.reset': '重置密码',
  'user.password.change': '修改密码',
  'user.clearance.set': '设定密级',
  'grant.create': '授权',
  'grant.revoke': '撤销授权',
  'org.department.create': '新建处室',
  'org.department.update': '修改处室',
  'org.post.create': '新建岗位',
  'org.post.update': '修改岗位',
  'officer.change.request': '申请三员账号变更',
  'officer.change.approve': '批准三员账号变更',
  'officer.change.refuse': '驳回三员账号变更',
  'officer.change.expire': '三员账号变更过期',
  'audit.export': '导出审计日志',
  'system.start': '系统启动',
}

/** The Chinese name of an audit event, with its code for the unnamed ones. */
export const actionLabel = (action: string): string => ACTIONS[action] ?? action

/** Events offered by the audit filter (a dotted prefix selects a family). */
export const ACTION_FILTERS: Array<{ value: string; label: string }> = [
  { value: 'auth', label: '登录与会话（全部）' },
  ...Object.entries(ACTIONS).map(([value, label]) => ({ value, label })),
  { value: 'info', label: '处室信息（全部）' },
]

/** A local date-time picker value as RFC 3339 (what the server's from/to take). */
export function rfc3339(d: Date | null | undefined): string | undefined {
  return d ? d.toISOString() : undefined
}

/** Hands a fetched file to the browser as a download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
