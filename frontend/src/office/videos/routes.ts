// 视频点播: the video library (officeapi/video).

import type { Capability } from '../capability'

export const videos: Capability = {
  menu: { path: 'videos', label: '视频点播' },
  routes: [
    { path: 'videos', name: 'videos', component: () => import('./VideoLibrary.vue'), meta: { title: '视频点播' } },
    { path: 'videos/:id', name: 'video', component: () => import('./VideoPlayer.vue'), meta: { title: '视频播放' } },
  ],
}
