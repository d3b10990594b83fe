// 个人助理: the personal assistant (officeapi/assistant) — calendar, to-dos,
// notes and the contacts directory. Every member of staff has one; the
// system administrator sees the directory (to keep phones and rooms).

import type { Capability } from '../capability'

export const assistant: Capability = {
  menu: { path: 'assistant', label: '个人助理', perms: ['office.read', 'user.manage'] },
  routes: [{ path: 'assistant', name: 'assistant', component: () => import('./AssistantPage.vue'), meta: { title: '个人助理' } }],
}
