import { describe, expect, it } from 'vitest'
import { searchFromRoute, searchParams, searchQueryString } from './query'

describe('公文查询 query', () => {
  it('keeps a 文号 with square brackets as typed (the server reads any bracket form)', () => {
    const qs = searchQueryString({ q: '皖政办[2026]3号' })
    expect(new URLSearchParams(qs).get('q')).toBe('皖政办[2026]3号')
    expect(new URLSearchParams(qs).get('size')).toBe('20')
  })

  it('leaves out empty fields, page 1, the default sort and a false overdue', () => {
    expect(searchParams({ q: '  ', docType: undefined, page: 1, sort: 'relevance', overdue: false, state: 'processing' })).toEqual({ state: 'processing' })
  })

  it('round-trips through the route, dropping what does not parse', () => {
    const f = { q: '通知', docType: '函', state: 'completed', direction: 'incoming', department: 'mishu2', overdue: true, from: '2026-03-01', to: '2026-03-31', sort: 'date', page: 3 } as const
    expect(searchFromRoute(searchParams(f))).toEqual(f)
    expect(searchFromRoute({ docType: '便条', state: 'lost', from: '3月1日', page: '-2', overdue: 'yes', q: ['一', '二'] })).toEqual({ q: '一' })
  })
})
