// 电子印章: verification of a sealed PDF for every member of staff, and the
// seal keys' administration for the security administrator (officeapi/seal).

import type { Capability } from '../capability'

export const seal: Capability = {
  menu: { path: 'seal', label: '电子印章', perms: ['office.read', 'seal.manage'] },
  routes: [{ path: 'seal', name: 'seal', component: () => import('./SealPage.vue'), meta: { title: '电子印章' } }],
}
