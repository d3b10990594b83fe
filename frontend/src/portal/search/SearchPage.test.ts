import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '../../api/problem'
import type { SearchResult } from '../../api/search'

// No fetch: the session's client is a dummy, the search and channel calls are fakes.
vi.mock('../../auth/session', () => ({ client: {}, session: { state: { session: null } } }))
const search = vi.fn<(client: unknown, query: string) => Promise<SearchResult>>()
vi.mock('../../api/search', () => ({ search: (c: unknown, q: string) => search(c, q) }))
vi.mock('../../api/portal', async (orig) => ({
  ...(await orig<typeof import('../../api/portal')>()),
  getChannels: async () => [{ key: 'files', name: '政府文件', children: [{ key: 'files-general-office', name: '省政府办公厅文件' }] }],
}))

const { default: SearchPage } = await import('./SearchPage.vue')

const RESULT: SearchResult = {
  total: 2,
  hits: [
    {
      id: 'p1',
      title: '关于优化营商环境的意见',
      type: 'policy',
      channel: 'files-general-office',
      publishedAt: '2026-10-10T09:00:00Z',
      docNumber: '皖政办〔2026〕12号',
      validity: '有效',
      highlights: {
        title: ['关于优化<mark>营商环境</mark>的意见'],
        body: ['<script>alert(1)</script>持续优化<mark onclick="x()">营商</mark>环境 &amp; 服务'],
      },
    },
    { id: 'n1', title: '营商<b>新闻</b>', type: 'article', channel: 'news', status: 'withdrawn', highlights: {} },
  ],
  facets: {
    channel: [{ value: 'files-general-office', count: 1 }, { value: 'news', count: 1 }],
    type: [{ value: 'policy', count: 1 }, { value: 'article', count: 1 }],
    year: [{ value: '2026', count: 2 }],
  },
}

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/search', name: 'search', component: SearchPage },
      { path: '/items/:id', name: 'item', component: { template: '<div>item</div>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(SearchPage, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] } })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  search.mockReset()
})

describe('SearchPage', () => {
  it('searches what the URL says and renders hits with safe highlights', async () => {
    search.mockResolvedValue(RESULT)
    const { wrapper } = await mountAt('/search?q=营商环境&sort=date')
    expect(search).toHaveBeenCalledTimes(1)
    expect(Object.fromEntries(new URLSearchParams(search.mock.calls[0][1]))).toMatchObject({
      scope: 'portal',
      q: '营商环境',
      sort: 'date',
      page: '1',
    })
    expect(wrapper.get('[data-testid="search-total-count"]').text()).toBe('2')
    const hits = wrapper.findAll('[data-testid="search-hit"]')
    expect(hits).toHaveLength(2)
    // Title: the server's mark is kept.
    expect(hits[0].get('[data-testid="search-hit-title"] mark').text()).toBe('营商环境')
    // Body: no script element, no attribute-carrying mark; the text is shown literally.
    const snippet = hits[0].get('[data-testid="search-hit-snippet"]')
    expect(snippet.find('script').exists()).toBe(false)
    expect(snippet.findAll('mark')).toHaveLength(0)
    expect(snippet.text()).toContain('<script>alert(1)</script>')
    expect(snippet.text()).toContain('环境 & 服务')
    // A title without a highlight is escaped, not parsed.
    expect(hits[1].find('b').exists()).toBe(false)
    expect(hits[1].get('[data-testid="search-hit-title"]').text()).toBe('营商<b>新闻</b>')
    // Meta: channel name from the tree, date, 文号, validity; type in Chinese.
    expect(hits[0].text()).toContain('省政府办公厅文件')
    expect(hits[0].text()).toContain('2026-10-10')
    expect(hits[0].text()).toContain('皖政办〔2026〕12号')
    expect(hits[0].text()).toContain('有效')
    expect(hits[0].text()).toContain('政策文件')
    // A withdrawn item is marked; the others are not.
    expect(hits[1].get('[data-testid="search-hit-withdrawn"]').text()).toBe('已撤回')
    expect(hits[0].find('[data-testid="search-hit-withdrawn"]').exists()).toBe(false)
  })

  it('narrows by a facet value through the URL and shows a removable chip', async () => {
    search.mockResolvedValue(RESULT)
    const { wrapper, router } = await mountAt('/search?q=营商环境&page=2')
    const facet = wrapper.get('[data-testid="facet-type"] [data-value="policy"]')
    expect(facet.text()).toContain('政策文件')
    await facet.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '营商环境', type: 'policy' })
    expect(new URLSearchParams(search.mock.calls.at(-1)![1]).get('type')).toBe('policy')
    const chip = wrapper.get('[data-testid="search-chip"]')
    expect(chip.text()).toBe('类型：政策文件')
    await chip.get('.el-tag__close').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '营商环境' })
  })

  it('shows the empty state, the error state, and a prompt without criteria', async () => {
    search.mockResolvedValue({ total: 0, hits: [], facets: {} })
    const empty = await mountAt('/search?q=不存在的词')
    expect(empty.wrapper.get('[data-testid="search-empty"]').text()).toContain('未找到相关结果')
    expect(empty.wrapper.find('[data-testid="search-did-you-mean"]').exists()).toBe(false)

    // A close variant that finds something is offered; clicking it searches for it.
    search.mockResolvedValue({ total: 0, hits: [], facets: {}, didYouMean: { text: '住建厅', total: 3 } })
    const offered = await mountAt('/search?q=主建厅')
    const dym = offered.wrapper.get('[data-testid="search-did-you-mean"]')
    expect(dym.text()).toContain('您是不是要找：住建厅')
    expect(dym.text()).toContain('3 条结果')
    await dym.get('.el-link').trigger('click')
    await flushPromises()
    expect(offered.router.currentRoute.value.query).toEqual({ q: '住建厅' })

    search.mockRejectedValue(new ApiError({ status: 503, detail: '搜索服务暂不可用，请稍后再试' }))
    const failed = await mountAt('/search?q=政务')
    expect(failed.wrapper.get('[data-testid="search-error"]').text()).toContain('搜索服务暂不可用，请稍后再试')

    search.mockClear()
    const none = await mountAt('/search')
    expect(none.wrapper.find('[data-testid="search-prompt"]').exists()).toBe(true)
    expect(search).not.toHaveBeenCalled()
  })
})
