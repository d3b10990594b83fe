import { describe, expect, it } from 'vitest'
import { buildItemQuery, filtersFromQuery, filtersToQuery, recentYears } from './query'

describe('buildItemQuery', () => {
  it('keeps only set values, in a fixed order, URL-encoded', () => {
    expect(
      buildItemQuery({ size: 20, channel: 'files', genre: '通知', issuer: ' ', year: 2026, validity: '有效', cursor: '' }),
    ).toBe('channel=files&genre=%E9%80%9A%E7%9F%A5&year=2026&validity=%E6%9C%89%E6%95%88&size=20')
  })

  it('leaves out the default sort and joins field selections', () => {
    expect(buildItemQuery({ channel: 'news', sort: '-publishedAt', size: 8 })).toBe('channel=news&size=8')
    expect(buildItemQuery({ channel: 'news', sort: 'title', fields: ['title', 'publishedAt'] })).toBe(
      'channel=news&sort=title&fields=title%2CpublishedAt',
    )
  })

  it('passes the cursor and date range through', () => {
    expect(buildItemQuery({ channel: 'files', from: '2026-01-01', to: '2026-06-30', cursor: 'abc=' })).toBe(
      'channel=files&from=2026-01-01&to=2026-06-30&cursor=abc%3D',
    )
  })
})

describe('page filters in the URL', () => {
  it('reads valid values and drops junk', () => {
    expect(filtersFromQuery({ genre: '意见', year: '20x6', from: '2026-01-01', to: 'yesterday', sort: 'bogus' })).toEqual({
      genre: '意见',
      issuer: '',
      year: '',
      validity: '',
      from: '2026-01-01',
      to: '',
      status: '',
      sort: '-publishedAt',
    })
    expect(filtersFromQuery({ year: ['2025', '2024'], sort: 'title' })).toMatchObject({ year: '2025', sort: 'title' })
  })

  it('round-trips, writing only what is set', () => {
    const f = filtersFromQuery({ issuer: '省政府办公厅', sort: 'title' })
    expect(filtersToQuery(f)).toEqual({ issuer: '省政府办公厅', sort: 'title' })
    expect(filtersToQuery(filtersFromQuery({}))).toEqual({})
  })

  it('includes withdrawn items only when asked, with the documented status value', () => {
    expect(filtersFromQuery({ status: 'withdrawn' }).status).toBe('')
    const f = filtersFromQuery({ status: 'published,withdrawn' })
    expect(filtersToQuery(f)).toEqual({ status: 'published,withdrawn' })
    expect(buildItemQuery({ channel: 'news', ...f, size: 20 })).toBe('channel=news&status=published%2Cwithdrawn&size=20')
  })

  it('offers recent years, newest first', () => {
    expect(recentYears(new Date('2026-05-01T00:00:00Z'), 2)).toEqual(['2026', '2025', '2024'])
  })
})
