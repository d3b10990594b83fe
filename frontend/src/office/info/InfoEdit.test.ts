import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'

// Tiptap needs a real layout engine; a textarea stands in for the body editor.
vi.mock('../portal/RichTextEditor.vue', () => ({
  default: {
    props: ['modelValue'],
    emits: ['update:modelValue'],
    template: `<textarea data-testid="body" :value="modelValue" @input="$emit('update:modelValue', $event.target.value)" />`,
  },
}))

const request = vi.fn()
const me = { roles: [], permissions: ['info.item.edit'], clearance: '秘密', departments: [{ id: 'xinxi', name: '信息处' }] }
vi.mock('../../auth/session', () => ({
  client: {
    request: (path: string, o?: unknown) => request(path, o),
    optionalAuthRequest: () => Promise.resolve([{ key: 'news', name: '政务要闻', types: ['article'] }]),
  },
  session: { state: { me }, loadMe: () => Promise.resolve(me) },
}))

const { default: InfoEdit } = await import('./InfoEdit.vue')

const saved = { id: 'n1', department: 'xinxi', kind: 'update', title: '动态', classification: '非密', audience: 'portal', state: 'draft', revision: 1, portal: { designated: false, approved: false }, version: 1 }

async function mountNew() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/office/info/new', component: InfoEdit },
      { path: '/:rest(.*)*', component: { template: '<div />' } },
    ],
  })
  await router.push('/office/info/new')
  await router.isReady()
  const w = mount(InfoEdit, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] }, attachTo: document.body })
  await flushPromises()
  return { w, router }
}

describe('InfoEdit', () => {
  beforeEach(() => {
    request.mockReset()
    document.body.innerHTML = ''
  })

  it('creates, designates and submits a portal item, each step with the version it saw', async () => {
    request.mockImplementation((path: string) => {
      if (path === '/api/office/v1/info/items') return Promise.resolve(saved)
      if (path.endsWith('/designate')) return Promise.resolve({ ...saved, portal: { designated: true, channel: 'news', approved: false }, version: 2 })
      if (path.endsWith('/submit')) return Promise.resolve({ ...saved, state: 'submitted', version: 3 })
      return Promise.reject(new Error(path))
    })
    const { w, router } = await mountNew()
    // Only classifications up to the writer's clearance are offered.
    expect(w.get('[data-testid="field-classification"]').text()).toBe('非密秘密')
    await w.get('input[data-testid="field-title"]').setValue('动态')
    await w.get('[data-testid="field-audience"]').findAll('input')[2].setValue(true)
    await flushPromises()
    // The channel select appears for 门户; set its model through the component.
    ;(w.vm as unknown as { $: { setupState: { channel: string } } }).$.setupState.channel = 'news'
    await w.get('[data-testid="body"]').setValue('<p>正文</p>')
    await w.get('[data-testid="info-save-submit"]').trigger('click')
    await flushPromises()

    const calls = request.mock.calls.map((c) => [c[0], (c[1] as { body?: unknown; method?: string } | undefined)?.body])
    expect(calls).toEqual([
      [
        '/api/office/v1/info/items',
        { kind: 'update', title: '动态', summary: '', body: '<p>正文</p>', classification: '非密', audience: 'portal', department: 'xinxi' },
      ],
      ['/api/office/v1/info/items/n1/designate', { channel: 'news', embargoUntil: undefined, version: 1 }],
      ['/api/office/v1/info/items/n1/submit', { version: 2 }],
    ])
    expect(router.currentRoute.value.path).toBe('/office/info/items/n1')
  })

  it('refuses 门户 for a classified item before asking the server', async () => {
    const { w } = await mountNew()
    await w.get('input[data-testid="field-title"]').setValue('内部')
    await w.get('[data-testid="field-audience"]').findAll('input')[2].setValue(true)
    await w.get('[data-testid="field-classification"]').findAll('input')[1].setValue(true)
    await flushPromises()
    expect(w.get('[data-testid="field-audience"]').findAll('input')[2].attributes('disabled')).toBeDefined()
    await w.get('[data-testid="info-save"]').trigger('click')
    await flushPromises()
    expect(request).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(w.text()).toContain('秘密信息不能发布到门户'))
  })
})
