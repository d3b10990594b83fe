// 档案: the archive (officeapi/archive) — the catalogue with search,
// filters and export, a record with its parts, checksums and events, and
// the appraisal list.

import type { Capability } from '../capability'

export const archive: Capability = {
  menu: { path: 'archive', label: '档案' },
  routes: [
    { path: 'archive', name: 'archive', component: () => import('./ArchiveCatalogue.vue'), meta: { title: '档案' } },
    { path: 'archive/appraisal', name: 'archive-appraisal', component: () => import('./AppraisalList.vue'), meta: { title: '档案鉴定' } },
    { path: 'archive/records/:id', name: 'archive-record', component: () => import('./ArchiveRecord.vue'), meta: { title: '档案' } },
  ],
}
