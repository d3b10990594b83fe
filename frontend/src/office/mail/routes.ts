// 邮件: internal mail (officeapi/mail).

import type { Capability } from '../capability'

const page = () => import('./MailPage.vue')

export const mail: Capability = {
  menu: { path: 'mail', label: '邮件' },
  routes: [
    { path: 'mail', name: 'mail', component: page, meta: { title: '邮件' } },
    { path: 'mail/read/:entry', name: 'mail-read', component: page, meta: { title: '邮件' } },
    { path: 'mail/message/:message', name: 'mail-message', component: page, meta: { title: '邮件' } },
  ],
}
