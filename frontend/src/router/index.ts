// Routes of the whole SPA. The Go server answers every unknown path with
// index.html (history-mode fallback), so deep links like /office/documents work.

import {
  createRouter,
  createWebHistory,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router'
import PortalLayout from '../portal/PortalLayout.vue'
import PortalHome from '../portal/PortalHome.vue'
import { session } from '../auth/session'
import { safeRedirect } from '../auth/redirect'
import { capabilities, placeholders } from '../office/menu'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the browser tab. */
    title?: string
    /** Only for logged-in users; others go to /login?redirect=…. */
    requiresAuth?: boolean
  }
}

const OfficePlaceholder = () => import('../office/OfficePlaceholder.vue')

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: PortalLayout,
    children: [
      { path: '', name: 'portal', component: PortalHome, meta: { title: '首页' } },
      { path: 'channels/:key', name: 'channel', component: () => import('../portal/ChannelPage.vue'), meta: { title: '栏目' } },
      { path: 'items/:id', name: 'item', component: () => import('../portal/ItemPage.vue'), meta: { title: '正文' } },
      { path: 'preview/:token', name: 'preview', component: () => import('../portal/ItemPage.vue'), meta: { title: '预览' } },
      { path: 'search', name: 'search', component: () => import('../portal/search/SearchPage.vue'), meta: { title: '搜索' } },
      { path: 'library/videos', name: 'library-videos', component: () => import('../portal/LibraryVideos.vue'), meta: { title: '视频点播' } },
      { path: 'leaders', name: 'leaders', component: () => import('../portal/LeadersPage.vue'), meta: { title: '领导文库' } },
      // An unknown portal address keeps the portal's header (search, channels, the assistive toolbar).
      { path: ':pathMatch(.*)*', component: () => import('../NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('../auth/LoginPage.vue'),
    meta: { title: '登录' },
  },
  {
    path: '/office',
    component: () => import('../office/OfficeLayout.vue'),
    meta: { requiresAuth: true },
    children: [
      { path: '', name: 'office', component: () => import('../office/DesktopHome.vue'), meta: { title: '个人桌面' } },
      ...capabilities.flatMap((c) => c.routes),
      // A capability still being built keeps its pages too (a desktop task may link to
      // /office/documents/<id> before the 公文 screens exist): the placeholder, not 页面不存在.
      ...placeholders().map((m): RouteRecordRaw => ({ path: `${m.path}/:rest(.*)*`, component: OfficePlaceholder, meta: { title: m.label } })),
      { path: ':pathMatch(.*)*', component: () => import('../NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
  {
    path: '/password',
    name: 'change-password',
    component: () => import('../auth/ChangePasswordPage.vue'),
    meta: { title: '修改密码', requiresAuth: true },
  },
]

export function createAppRouter(history: RouterHistory = createWebHistory('/')) {
  const router = createRouter({ history, routes })

  router.beforeEach((to) => {
    if (to.matched.some((r) => r.meta.requiresAuth) && !session.isLoggedIn()) {
      return { name: 'login', query: { redirect: to.fullPath } }
    }
    // A session that may only change the password goes to the page that does.
    if (session.state.session?.passwordChangeRequired && session.isLoggedIn() && to.name !== 'change-password') {
      const redirect = to.name === 'login' ? safeRedirect(to.query.redirect) : to.fullPath
      return { name: 'change-password', query: { redirect } }
    }
    // Already logged in: the login page would only get in the way.
    if (to.name === 'login' && session.isLoggedIn()) {
      return safeRedirect(to.query.redirect)
    }
  })

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} - 政务信息网` : '政务信息网'
  })

  return router
}
