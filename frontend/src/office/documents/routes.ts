// 公文: official documents (officeapi/officialdoc) — the task list and the
// lists, drafting and 收文 registration, a document with its flow.

import type { Capability } from '../capability'

export const documents: Capability = {
  menu: { path: 'documents', label: '公文' },
  routes: [
    { path: 'documents', name: 'documents', component: () => import('./DocumentList.vue'), meta: { title: '公文' } },
    { path: 'documents/new', name: 'document-new', component: () => import('./DocumentEdit.vue'), meta: { title: '起草公文' } },
    { path: 'documents/search', name: 'document-search', component: () => import('./DocumentSearch.vue'), meta: { title: '公文查询' } },
    { path: 'documents/:id/edit', name: 'document-edit', component: () => import('./DocumentEdit.vue'), meta: { title: '修改公文' } },
    { path: 'documents/:id', name: 'document', component: () => import('./DocumentPage.vue'), meta: { title: '公文' } },
  ],
}
