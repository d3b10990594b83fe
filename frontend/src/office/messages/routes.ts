// 消息: instant messaging (officeapi/chat): one-to-one and group chats over a WebSocket.

import type { Capability } from '../capability'

export const messages: Capability = {
  menu: { path: 'messages', label: '消息' },
  routes: [
    { path: 'messages', name: 'messages', component: () => import('./ChatPage.vue'), meta: { title: '消息' } },
    { path: 'messages/:id', name: 'messages-chat', component: () => import('./ChatPage.vue'), meta: { title: '消息' } },
  ],
}
