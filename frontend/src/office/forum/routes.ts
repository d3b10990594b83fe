// 论坛: the office forum (officeapi/forum).

import type { Capability } from '../capability'

export const forum: Capability = {
  menu: { path: 'forum', label: '论坛', perms: ['office.read', 'forum.manage'] },
  routes: [
    { path: 'forum', name: 'forum', component: () => import('./ForumPage.vue'), meta: { title: '论坛' } },
    { path: 'forum/boards/:board', name: 'forum-board', component: () => import('./ForumPage.vue'), meta: { title: '论坛' } },
    { path: 'forum/threads/:id', name: 'forum-thread', component: () => import('./ForumThread.vue'), meta: { title: '论坛' } },
    { path: 'forum/manage', name: 'forum-manage', component: () => import('./BoardManage.vue'), meta: { title: '版块管理' } },
  ],
}
