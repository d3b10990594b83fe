// 值班: duty rosters, swaps, the duty log, handover and the monthly summary (officeapi/duty).

import type { Capability } from '../capability'

export const duty: Capability = {
  menu: { path: 'duty', label: '值班' },
  routes: [{ path: 'duty', name: 'duty', component: () => import('./DutyPage.vue'), meta: { title: '值班' } }],
}
