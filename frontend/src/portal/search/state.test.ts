import { describe, expect, it } from 'vitest'
import {
  activeFilters,
  channelLabels,
  buildSearchQuery,
  emptyState,
  hasCriteria,
  maxPage,
  stateFromQuery,
  stateToQuery,
  withFilter,
} from './state'

describe('search state in the URL', () => {
  it('reads every field from the route query', () => {
    // The fields read as they stand; q is trimmed and page is a number.
    const asIs = {
      channel: 'files',
      type: 'policy',
      issuer: '省人民政府',
      year: '2026',
      validity: '有效',
      from: '2026-01-01',
      to: '2026-06-30',
      sort: 'date',
    }
    expect(stateFromQuery({ ...asIs, q: ' 营商环境 ', page: '3' })).toEqual({ ...asIs, q: '营商环境', page: 3 })
  })

  it('drops junk: bad years, dates, sorts, pages; takes the first of repeated values', () => {
    expect(
      stateFromQuery({ q: ['政务', '公开'], year: '26', from: '2026-13-45', to: 'soon', sort: 'title', page: '-2' }),
    ).toEqual({ ...emptyState(), q: '政务' })
    expect(stateFromQuery({ page: '1.5' }).page).toBe(1)
    expect(stateFromQuery({ page: 'abc' }).page).toBe(1)
    expect(stateFromQuery({ page: '999999' }).page).toBe(maxPage(10))
    // A reversed range keeps only its start.
    expect(stateFromQuery({ from: '2026-06-01', to: '2026-01-01' })).toMatchObject({ from: '2026-06-01', to: '' })
    expect(stateFromQuery({ q: null, type: [null] })).toEqual(emptyState())
  })

  it('clips an overlong query to what the server accepts', () => {
    expect(Array.from(stateFromQuery({ q: '政'.repeat(300) }).q)).toHaveLength(200)
  })

  it('writes only what is set, leaving out the defaults', () => {
    expect(stateToQuery(emptyState())).toEqual({})
    expect(stateToQuery({ ...emptyState(), q: '营商环境', type: 'policy', sort: 'date', page: 2 })).toEqual({
      q: '营商环境',
      type: 'policy',
      sort: 'date',
      page: '2',
    })
    expect(stateToQuery({ ...emptyState(), q: '营商环境', sort: 'relevance', page: 1 })).toEqual({ q: '营商环境' })
  })

  it('round-trips URL → state → URL', () => {
    const url = { q: '政务公开', channel: 'news', year: '2025', validity: '已废止', from: '2025-01-01', sort: 'date', page: '4' }
    expect(stateToQuery(stateFromQuery(url))).toEqual(url)
    const s = { ...emptyState(), q: 'a b', issuer: '省发展和改革委员会', to: '2026-11-25', page: 7 }
    expect(stateFromQuery(stateToQuery(s))).toEqual(s)
  })
})

describe('the API query', () => {
  it('always names the scope, sort, page and size; filters only when set', () => {
    expect(buildSearchQuery({ ...emptyState(), q: '营商环境' })).toBe(
      'scope=portal&q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&sort=relevance&page=1&size=10',
    )
    const qs = new URLSearchParams(
      buildSearchQuery({ ...emptyState(), q: '政务', type: 'policy', year: '2026', from: '2026-01-01', sort: 'date', page: 3 }, 20),
    )
    expect(Object.fromEntries(qs)).toEqual({
      scope: 'portal',
      q: '政务',
      type: 'policy',
      year: '2026',
      from: '2026-01-01',
      sort: 'date',
      page: '3',
      size: '20',
    })
  })
})

describe('filters', () => {
  it('setting or clearing a filter goes back to page 1 and leaves the rest alone', () => {
    const s = { ...emptyState(), q: '政务', page: 5, type: 'policy' }
    expect(withFilter(s, 'channel', 'files')).toEqual({ ...s, channel: 'files', page: 1 })
    expect(withFilter(s, 'type', '')).toEqual({ ...s, type: '', page: 1 })
    expect(s.page).toBe(5)
  })

  it('lists the active filters in facet order, then the dates', () => {
    const s = { ...emptyState(), q: 'x', validity: '有效', channel: 'files', to: '2026-01-01' }
    expect(activeFilters(s)).toEqual([
      { key: 'channel', value: 'files' },
      { key: 'validity', value: '有效' },
      { key: 'to', value: '2026-01-01' },
    ])
    expect(hasCriteria(emptyState())).toBe(false)
    expect(hasCriteria({ ...emptyState(), year: '2026' })).toBe(true)
  })
})

describe('channelLabels', () => {
  it('uses the name alone when unique, and the parents where names repeat', () => {
    const tree = [
      { key: 'files', name: '政府文件', children: [{ key: 'files-general-office', name: '省政府办公厅文件' }] },
      {
        key: 'leaders',
        name: '领导文库',
        children: [
          { key: 'leader-wang', name: '王建国', children: [{ key: 'leader-wang-activities', name: '活动' }, { key: 'leader-wang-speeches', name: '讲话' }] },
          { key: 'leader-zhao', name: '赵秀兰', children: [{ key: 'leader-zhao-activities', name: '活动' }] },
        ],
      },
    ]
    expect(channelLabels(tree)).toEqual({
      files: '政府文件',
      'files-general-office': '省政府办公厅文件',
      leaders: '领导文库',
      'leader-wang': '王建国',
      'leader-wang-activities': '王建国 · 活动',
      'leader-wang-speeches': '讲话',
      'leader-zhao': '赵秀兰',
      'leader-zhao-activities': '赵秀兰 · 活动',
    })
    expect(channelLabels([])).toEqual({})
  })
})
