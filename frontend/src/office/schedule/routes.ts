// 领导活动: the leaders' weekly schedule (officeapi/schedule).

import type { Capability } from '../capability'

export const schedule: Capability = {
  menu: {
    path: 'schedule',
    label: '领导活动',
    perms: ['schedule.view', 'schedule.leader.submit', 'schedule.compile', 'schedule.approve'],
  },
  routes: [
    { path: 'schedule', name: 'schedule', component: () => import('./SchedulePage.vue'), meta: { title: '领导活动' } },
  ],
}
