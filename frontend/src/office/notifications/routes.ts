// 消息提醒: the notification inbox (officeapi/notify). The bell in the
// header (NotificationBell.vue) is on every office page; this is the page.

import type { Capability } from '../capability'

export const notifications: Capability = {
  menu: { path: 'notifications', label: '消息提醒' },
  routes: [
    {
      path: 'notifications',
      name: 'notifications',
      component: () => import('./NotificationsPage.vue'),
      meta: { title: '消息提醒' },
    },
  ],
}
