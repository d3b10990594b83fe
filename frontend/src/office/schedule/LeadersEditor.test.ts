import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

const request = vi.fn()
vi.mock('../../auth/session', () => ({
  client: { request: (path: string, o?: unknown) => request(path, o) },
  session: { state: { me: null } },
}))

const { default: LeadersEditor } = await import('./LeadersEditor.vue')
const { default: PersonSelect } = await import('../documents/PersonSelect.vue')

const people = [
  { id: 'u-wang', name: '王建国', departmentIds: ['office'], postIds: [] },
  { id: 'u-li', name: '李国华', departmentIds: ['office'], postIds: [] },
]

describe('LeadersEditor', () => {
  it('links a leader to an account picked from the address book, not a typed id', async () => {
    request.mockImplementation((path: string, o?: { method?: string; body?: unknown }) => {
      if (path === '/api/office/v1/org/people') return Promise.resolve({ items: people, total: 2 })
      if (path === '/api/office/v1/org/departments') return Promise.resolve({ items: [{ id: 'office', name: '办公厅' }] })
      if (path === '/api/office/v1/schedule/leaders' && o?.method === 'PUT') return Promise.resolve({ ...(o.body as object), leaders: [] })
      return Promise.reject(new Error(`unexpected ${path}`))
    })
    const leaders = { id: 'leaders', version: 3, updatedAt: '2026-12-06T00:00:00Z',
      leaders: [{ id: 'l1', name: '王建国', title: '秘书长', userId: 'u-wang', rank: 1 }, { id: 'l2', name: '', title: '副秘书长', rank: 2 }] }
    const w = mount(LeadersEditor, { props: { leaders }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    // No free-text id field any more: one address-book picker per row.
    const pickers = w.findAllComponents(PersonSelect)
    expect(pickers).toHaveLength(2)
    expect(w.findAll('input[maxlength="64"]')).toHaveLength(0)
    expect(pickers[0]!.props('exclude')).toEqual([]) // nobody else is linked
    expect(pickers[1]!.props('exclude')).toEqual(['u-wang']) // an account links one leader
    // Picking fills the empty name from the address book; saving sends the id.
    pickers[1]!.vm.$emit('update:modelValue', 'u-li')
    await flushPromises()
    await w.findAll('button').find((b) => b.text() === '保存名单')!.trigger('click')
    await flushPromises()
    const put = request.mock.calls.find(([p, o]) => p === '/api/office/v1/schedule/leaders' && o?.method === 'PUT')
    expect(put?.[1].body).toEqual({
      version: 3,
      leaders: [
        { id: 'l1', name: '王建国', title: '秘书长', userId: 'u-wang' },
        { id: 'l2', name: '李国华', title: '副秘书长', userId: 'u-li' },
      ],
    })
  })
})
