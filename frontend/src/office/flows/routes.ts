// 流程定义: the flow editor (officeapi/flowadmin), for the business administrator (flow.manage).

import type { Capability } from '../capability'

export const flows: Capability = {
  menu: { path: 'flows', label: '流程定义', perms: ['flow.manage'] },
  routes: [
    { path: 'flows', name: 'flows', component: () => import('./FlowsPage.vue'), meta: { title: '流程定义' } },
    { path: 'flows/:key', name: 'flow-editor', component: () => import('./FlowEditor.vue'), meta: { title: '编辑流程' } },
  ],
}
