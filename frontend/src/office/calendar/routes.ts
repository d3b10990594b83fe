// 工作日历: the working calendar (officeapi/flowadmin), read by every member of
// staff, edited by the business administrator (flow.manage).

import type { Capability } from '../capability'

export const calendar: Capability = {
  menu: { path: 'calendar', label: '工作日历', perms: ['office.read'] },
  routes: [{ path: 'calendar', name: 'calendar', component: () => import('./CalendarPage.vue'), meta: { title: '工作日历' } }],
}
