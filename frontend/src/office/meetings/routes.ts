// 会议: meetings (officeapi/meeting): booking, notices, check-in, seating, name cards.

import type { Capability } from '../capability'

export const meetings: Capability = {
  menu: { path: 'meetings', label: '会议' },
  routes: [
    { path: 'meetings', name: 'meetings', component: () => import('./MeetingList.vue'), meta: { title: '会议' } },
    { path: 'meetings/new', name: 'meeting-new', component: () => import('./MeetingBook.vue'), meta: { title: '预订会议' } },
    { path: 'meetings/:id', name: 'meeting', component: () => import('./MeetingPage.vue'), meta: { title: '会议' } },
    {
      path: 'meetings/:id/seating',
      name: 'meeting-seating',
      component: () => import('./SeatingEditor.vue'),
      meta: { title: '排座' },
    },
  ],
}
