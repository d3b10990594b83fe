// 三员管理: the officers' console (users and organisation, grants and policy,
// the audit log), shown to the three officers only.

import type { Capability } from '../capability'

/** The permissions of the three officers, who use the officers' console. */
export const OFFICER_PERMISSIONS = ['user.manage', 'org.manage', 'grant.manage', 'policy.manage', 'audit.read']

export const admin: Capability = {
  menu: { path: 'admin', label: '三员管理', perms: OFFICER_PERMISSIONS },
  routes: [
    { path: 'admin', name: 'admin', component: () => import('./AdminHome.vue'), meta: { title: '三员管理' } },
    { path: 'admin/users', name: 'admin-users', component: () => import('./UsersPage.vue'), meta: { title: '用户管理' } },
    { path: 'admin/org', name: 'admin-org', component: () => import('./OrgPage.vue'), meta: { title: '处室与岗位' } },
    { path: 'admin/grants', name: 'admin-grants', component: () => import('./GrantsPage.vue'), meta: { title: '授权与密级' } },
    { path: 'admin/policy', name: 'admin-policy', component: () => import('./PolicyPage.vue'), meta: { title: '安全策略' } },
    { path: 'admin/changes', name: 'admin-changes', component: () => import('./ChangesPage.vue'), meta: { title: '三员账号变更' } },
    { path: 'admin/audit', name: 'admin-audit', component: () => import('./AuditPage.vue'), meta: { title: '审计日志' } },
  ],
}
