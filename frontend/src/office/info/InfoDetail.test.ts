import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'

const request = vi.fn()
let permissions: string[] = []
vi.mock('../../auth/session', () => ({
  client: {
    request: (path: string, o?: unknown) => request(path, o),
    optionalAuthRequest: () => Promise.resolve([{ key: 'news', name: '政务要闻', types: ['article'] }]),
  },
  session: {
    state: {
      get me() {
        return { roles: [], permissions, departments: [{ id: 'xinxi', name: '信息处' }] }
      },
    },
    loadMe: () => Promise.resolve({}),
  },
}))

const { default: InfoDetail } = await import('./InfoDetail.vue')
const routes = [
  { path: '/office/info/items/:id', component: InfoDetail },
  { path: '/:rest(.*)*', component: { template: '<div />' } },
]

const item = {
  id: 'i1',
  department: 'xinxi',
  kind: 'update',
  title: '工作动态一则',
  summary: '',
  body: '<p>正文</p>',
  classification: '非密',
  audience: 'portal',
  state: 'published',
  revision: 1,
  portal: { designated: true, channel: 'news', approved: false, approvedRevision: 0 },
  version: 5,
}

async function mountAt(it: object) {
  request.mockImplementation((path: string) => {
    if (path.startsWith('/api/office/v1/org/departments')) return Promise.resolve({ items: [{ id: 'xinxi', name: '信息处' }] })
    if (path === '/api/office/v1/info/items/i1') return Promise.resolve(it)
    if (path === '/api/office/v1/info/items/i1/portal-approve')
      return Promise.resolve({ ...it, portal: { ...item.portal, approved: true, approvedRevision: 1 }, version: 6 })
    return Promise.reject(new Error(`unexpected ${path}`))
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/office/info/items/i1')
  await router.isReady()
  const w = mount(InfoDetail, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] } })
  await flushPromises()
  return w
}

describe('InfoDetail', () => {
  beforeEach(() => {
    request.mockReset()
    permissions = []
  })

  it('shows the 密级 and lets a publisher approve the portal crossing at the version shown', async () => {
    permissions = ['info.item.review', 'portal.item.publish']
    const w = await mountAt(item)
    expect(w.get('[data-testid="info-classification"]').text()).toBe('非密')
    expect(w.get('[data-testid="info-portal-channel"]').text()).toBe('政务要闻')
    expect(w.find('[data-testid="info-designate"]').exists()).toBe(false)
    await w.get('[data-testid="info-portal-approve"]').trigger('click')
    await flushPromises()
    const call = request.mock.calls.find((c) => c[0].endsWith('/portal-approve'))
    expect(call?.[1]).toMatchObject({ body: { version: 5 } })
    expect(w.get('[data-testid="info-portal-status"]').text()).toBe('已批准发布到门户')
    expect(w.find('[data-testid="info-portal-approve"]').exists()).toBe(false)
  })

  it('says a classified item cannot go to the portal and offers no portal step', async () => {
    permissions = ['info.item.edit', 'info.item.review', 'portal.item.publish']
    const w = await mountAt({ ...item, classification: '秘密' })
    expect(w.get('[data-testid="info-classification"]').text()).toBe('秘密')
    expect(w.get('[data-testid="info-portal-classified"]').text()).toContain('秘密信息不能发布到门户网站')
    expect(w.find('[data-testid="info-designate"]').exists()).toBe(false)
    expect(w.find('[data-testid="info-portal-approve"]').exists()).toBe(false)
  })

  it('says so when the item is missing or hidden', async () => {
    const { ApiError } = await import('../../api/problem')
    request.mockImplementation((path: string) =>
      path.includes('/info/items/') ? Promise.reject(new ApiError({ status: 404, detail: '信息不存在' })) : Promise.resolve({ items: [] }),
    )
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/office/info/items/i1')
    await router.isReady()
    const w = mount(InfoDetail, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] } })
    await flushPromises()
    expect(w.get('[data-testid="info-detail-error"]').text()).toContain('信息不存在或无权查看')
  })
})
