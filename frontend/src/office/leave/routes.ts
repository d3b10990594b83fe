// 请假: leave requests (officeapi/leave).

import type { Capability } from '../capability'

export const leave: Capability = {
  menu: { path: 'leave', label: '请假', perms: ['leave.apply', 'leave.approve'] },
  routes: [{ path: 'leave', name: 'leave', component: () => import('./LeavePage.vue'), meta: { title: '请假' } }],
}
