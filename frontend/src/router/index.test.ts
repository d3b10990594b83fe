import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'

// Only the guard's view of the session matters here.
let loggedIn = false
const state: { session: { passwordChangeRequired?: boolean } | null; me: null } = { session: null, me: null }
vi.mock('../auth/session', () => ({ session: { isLoggedIn: () => loggedIn, state } }))

const { createAppRouter } = await import('./index')
const { default: OfficePlaceholder } = await import('../office/OfficePlaceholder.vue')
const { officeMenu, placeholders } = await import('../office/menu')

async function land(path: string, asUser: boolean): Promise<string> {
  loggedIn = asUser
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router.currentRoute.value.fullPath
}

/** The route a signed-in user lands on at path. */
async function routeAt(path: string) {
  loggedIn = true
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router.currentRoute.value
}

describe('router guard', () => {
  it('sends anonymous users from the office to the login page, remembering where they were', async () => {
    expect(await land('/office', false)).toBe('/login?redirect=/office')
    loggedIn = false
    const router = createAppRouter(createMemoryHistory())
    await router.push('/office/xyz?a=1')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.redirect).toBe('/office/xyz?a=1')
  })

  it('lets anonymous users see the portal and the login page', async () => {
    expect(await land('/', false)).toBe('/')
    expect(await land('/login', false)).toBe('/login')
  })

  it('serves the portal pages to anonymous users and guards the editor console', async () => {
    expect(await land('/channels/files?genre=通知', false)).toBe('/channels/files?genre=通知')
    expect(await land('/items/abc', false)).toBe('/items/abc')
    expect(await land('/leaders', false)).toBe('/leaders')
    expect(await land('/search?q=营商环境&type=policy', false)).toBe('/search?q=营商环境&type=policy')
    expect(await land('/office/portal/new?type=policy', false)).toBe('/login?redirect=/office/portal/new?type=policy')
    expect(await land('/office/portal/review', true)).toBe('/office/portal/review')
    const history = await routeAt('/office/portal/documents/d1/history')
    expect(history.name).toBe('portal-history')
    expect(history.params.id).toBe('d1')
  }, 30_000)

  it('routes the information platform pages', async () => {
    expect(await land('/office/info?scope=office', false)).toBe('/login?redirect=/office/info?scope=office')
    for (const [path, name] of [
      ['/office/info', 'info'],
      ['/office/info/new', 'info-new'],
      ['/office/info/items/i1', 'info-item'],
      ['/office/info/items/i1/edit', 'info-edit'],
      ['/office/info/rules', 'info-rules'],
      ['/office/info/gateway', 'info-gateway'],
    ]) {
      expect((await routeAt(path)).name).toBe(name)
    }
  }, 30_000)

  it('routes the officers console', async () => {
    expect(await land('/office/admin/users', false)).toBe('/login?redirect=/office/admin/users')
    expect((await routeAt('/office/admin')).name).toBe('admin')
    // Each tab's route is named after its path.
    for (const tab of ['users', 'org', 'grants', 'policy', 'changes', 'audit']) {
      expect((await routeAt(`/office/admin/${tab}`)).name).toBe(`admin-${tab}`)
    }
  }, 30_000)

  it('keeps a session that must change its password on the change-password page', async () => {
    state.session = { passwordChangeRequired: true }
    try {
      expect(await land('/office/info', true)).toBe('/password?redirect=/office/info')
      expect(await land('/login?redirect=/office/admin', true)).toBe('/password?redirect=/office/admin')
      expect(await land('/', true)).toBe('/password?redirect=/')
      expect(await land('/password', true)).toBe('/password')
      expect(await land('/password', false)).toBe('/login?redirect=/password')
    } finally {
      state.session = null
    }
    expect(await land('/office/info', true)).toBe('/office/info')
  }, 30_000)

  it('lets logged-in users into the office, including unknown office paths', async () => {
    expect(await land('/office', true)).toBe('/office')
    expect(await land('/office/xyz', true)).toBe('/office/xyz')
  })

  it('opens every menu entry on its capability, none on the placeholder or 页面不存在', async () => {
    expect(placeholders()).toEqual([])
    for (const m of officeMenu.filter((m) => m.path !== '')) {
      const r = await routeAt(`/office/${m.path}`)
      expect(r.meta.title, m.path).not.toBe('页面不存在')
      expect(r.matched.at(-1)?.components?.default, m.path).not.toBe(OfficePlaceholder)
    }
    expect((await routeAt('/office/xyz')).meta.title).toBe('页面不存在')
  }, 30_000)

  it('opens a desktop 待办 link (/office/documents/<id>) on the 公文 page', async () => {
    const r = await routeAt('/office/documents/d1')
    expect(r.name).toBe('document')
    expect(r.params.id).toBe('d1')
    expect((await routeAt('/office/documents/new')).name).toBe('document-new')
  }, 30_000)

  it('skips the login page for logged-in users', async () => {
    expect(await land('/login', true)).toBe('/office')
    expect(await land('/login?redirect=/office/mail', true)).toBe('/office/mail')
  })
})
