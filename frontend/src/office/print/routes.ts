// 印制: the print room (officeapi/print) — its queue and a job with its
// file and checks; every department's ordinary jobs and their progress.

import type { Capability } from '../capability'

export const print: Capability = {
  menu: { path: 'print', label: '印制', perms: ['office.read', 'print.operate'] },
  routes: [
    { path: 'print', name: 'print', component: () => import('./PrintPage.vue'), meta: { title: '印制' } },
    { path: 'print/mine', name: 'print-mine', component: () => import('./PrintPage.vue'), meta: { title: '我的印制' } },
    { path: 'print/jobs/:id', name: 'print-job', component: () => import('./PrintJobPage.vue'), meta: { title: '印制任务' } },
  ],
}
