// 信息: the department information platforms (officeapi/info).

import type { Capability } from '../capability'

export const info: Capability = {
  menu: { path: 'info', label: '信息' },
  routes: [
    { path: 'info', name: 'info', component: () => import('./InfoList.vue'), meta: { title: '信息' } },
    { path: 'info/new', name: 'info-new', component: () => import('./InfoEdit.vue'), meta: { title: '撰写信息' } },
    { path: 'info/items/:id', name: 'info-item', component: () => import('./InfoDetail.vue'), meta: { title: '信息' } },
    { path: 'info/items/:id/edit', name: 'info-edit', component: () => import('./InfoEdit.vue'), meta: { title: '编辑信息' } },
    { path: 'info/rules', name: 'info-rules', component: () => import('./InfoRules.vue'), meta: { title: '自动发布规则' } },
    { path: 'info/gateway', name: 'info-gateway', component: () => import('./GatewayStatus.vue'), meta: { title: '网关状态' } },
  ],
}
