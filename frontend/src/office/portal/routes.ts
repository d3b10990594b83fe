// 信息发布: the portal's editor console (cms content management).

import type { Capability } from '../capability'

export const portal: Capability = {
  menu: { path: 'portal', label: '信息发布' },
  routes: [
    { path: 'portal', name: 'portal-documents', component: () => import('./DocumentList.vue'), meta: { title: '信息发布' } },
    { path: 'portal/review', name: 'portal-review', component: () => import('./ReviewQueue.vue'), meta: { title: '审核队列' } },
    { path: 'portal/new', name: 'portal-new', component: () => import('./DocumentEdit.vue'), meta: { title: '新建信息' } },
    { path: 'portal/documents/:id', name: 'portal-edit', component: () => import('./DocumentEdit.vue'), meta: { title: '编辑信息' } },
    {
      path: 'portal/search-analytics',
      name: 'portal-search-analytics',
      component: () => import('./SearchAnalytics.vue'),
      meta: { title: '搜索分析' },
    },
    {
      path: 'portal/documents/:id/history',
      name: 'portal-history',
      component: () => import('./DocumentHistory.vue'),
      meta: { title: '历史版本' },
    },
  ],
}
