import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

const request = vi.fn()
vi.mock('../../auth/session', () => ({ client: { request: (path: string, o?: unknown) => request(path, o) } }))

const { default: RevisionsPanel } = await import('./RevisionsPanel.vue')

const rev = (n: number) => ({ document: 'd1', n, author: 'u1', authorName: '陈晓燕', at: '2026-12-06T03:00:00Z', body: '' })

describe('RevisionsPanel', () => {
  it('lists the revisions and renders a diff with insertions and deletions marked, as text', async () => {
    request.mockImplementation((path: string) => {
      if (path === '/api/office/v1/documents/d1/revisions') return Promise.resolve({ items: [rev(1), rev(2), rev(3)] })
      if (path === '/api/office/v1/documents/d1/revisions/diff?from=2&to=3')
        return Promise.resolve({
          from: 2,
          to: 3,
          parts: [
            { op: 'equal', text: '请各市' },
            { op: 'delete', text: '月底前' },
            { op: 'insert', text: '<b>15日前</b>' },
            { op: 'equal', text: '报送。' },
          ],
        })
      return Promise.reject(new Error(`unexpected ${path}`))
    })
    const w = mount(RevisionsPanel, { props: { documentId: 'd1', revision: 3 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(w.findAll('[data-testid="rev-n"]').map((x) => x.text())).toEqual(['第 1 版', '第 2 版', '第 3 版'])
    // The first revision has nothing before it to compare with.
    expect(w.findAll('[data-testid="rev-diff-prev"]')).toHaveLength(2)
    await w.findAll('[data-testid="rev-diff-prev"]')[1]!.trigger('click')
    await flushPromises()
    const diff = w.get('[data-testid="rev-diff"]')
    expect(diff.get('del').text()).toBe('月底前')
    expect(diff.get('ins').text()).toBe('<b>15日前</b>')
    expect(diff.find('ins b').exists()).toBe(false)
    expect(diff.text()).toContain('增 11 字') // the typed tags are characters too
    expect(diff.text()).toContain('删 3 字')
  })
})
