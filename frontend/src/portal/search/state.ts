// The search page's state lives in its URL (/search?q=…&type=policy&page=2), so
// back/forward, reload and shared links all work. This maps the route query to
// the state, the state back to the route query, and the state to the API's
// query string.

import type { FacetName } from '../../api/search'

export type SearchSort = 'relevance' | 'date'

export interface SearchState {
  q: string
  channel: string
  type: string
  issuer: string
  year: string
  validity: string
  /** publishedAt range, YYYY-MM-DD, both inclusive */
  from: string
  to: string
  sort: SearchSort
  /** from 1 */
  page: number
}

export const PAGE_SIZE = 10
/** The server refuses page × size beyond this. */
export const MAX_WINDOW = 10_000
export const MAX_QUERY_CHARS = 200
const MAX_VALUE_CHARS = 100

export const FACETS: ReadonlyArray<{ name: FacetName; label: string }> = [
  { name: 'channel', label: '栏目' },
  { name: 'type', label: '类型' },
  { name: 'issuer', label: '发文机关' },
  { name: 'year', label: '年份' },
  { name: 'validity', label: '效力状态' },
]

export const SORT_OPTIONS: ReadonlyArray<{ value: SearchSort; label: string }> = [
  { value: 'relevance', label: '相关度' },
  { value: 'date', label: '最新' },
]

type RouteQuery = Record<string, string | null | undefined | Array<string | null>>

const first = (v: RouteQuery[string]): string => {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' ? x : ''
}

const clip = (s: string, n: number) => Array.from(s.trim()).slice(0, n).join('')
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))

export function emptyState(): SearchState {
  return { q: '', channel: '', type: '', issuer: '', year: '', validity: '', from: '', to: '', sort: 'relevance', page: 1 }
}

/** The state from a route query; junk values are dropped (the page then shows the default). */
export function stateFromQuery(query: RouteQuery): SearchState {
  const s = emptyState()
  s.q = clip(first(query.q), MAX_QUERY_CHARS)
  for (const k of ['channel', 'type', 'issuer', 'validity'] as const) s[k] = clip(first(query[k]), MAX_VALUE_CHARS)
  const year = first(query.year)
  s.year = /^\d{4}$/.test(year) ? year : ''
  const from = first(query.from)
  const to = first(query.to)
  s.from = isDate(from) ? from : ''
  s.to = isDate(to) ? to : ''
  if (s.from && s.to && s.from > s.to) s.to = ''
  s.sort = first(query.sort) === 'date' ? 'date' : 'relevance'
  const page = Number(first(query.page))
  s.page = Number.isInteger(page) && page >= 1 ? Math.min(page, maxPage(PAGE_SIZE)) : 1
  return s
}

// Fixed order keeps URLs stable.
const KEYS = ['q', 'channel', 'type', 'issuer', 'year', 'validity', 'from', 'to'] as const

/** The route query for a state: only what is set, without the defaults (relevance, page 1). */
export function stateToQuery(s: SearchState): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of KEYS) {
    const v = s[k].trim()
    if (v) out[k] = v
  }
  if (s.sort !== 'relevance') out.sort = s.sort
  if (s.page > 1) out.page = String(s.page)
  return out
}

/** The query string of GET /api/search/v1/search for a state. */
export function buildSearchQuery(s: SearchState, size = PAGE_SIZE): string {
  const q = new URLSearchParams({ scope: 'portal' })
  for (const k of KEYS) {
    const v = s[k].trim()
    if (v) q.set(k, v)
  }
  q.set('sort', s.sort)
  q.set('page', String(s.page))
  q.set('size', String(size))
  return q.toString()
}

/** The deepest page the server answers for a page size. */
export function maxPage(size: number): number {
  return Math.max(1, Math.floor(MAX_WINDOW / size))
}

/** Is there anything to search for (a text or any filter)? */
export function hasCriteria(s: SearchState): boolean {
  return !!(s.q || s.channel || s.type || s.issuer || s.year || s.validity || s.from || s.to)
}

export type FilterKey = FacetName | 'from' | 'to'

/** A copy with one filter set (or cleared with ''); any change goes back to page 1. */
export function withFilter(s: SearchState, key: FilterKey, value: string): SearchState {
  return { ...s, [key]: value, page: 1 }
}

/** The filters in effect, in display order, for the removable chips. */
export function activeFilters(s: SearchState): Array<{ key: FilterKey; value: string }> {
  const out: Array<{ key: FilterKey; value: string }> = []
  for (const f of FACETS) if (s[f.name]) out.push({ key: f.name, value: s[f.name] })
  if (s.from) out.push({ key: 'from', value: s.from })
  if (s.to) out.push({ key: 'to', value: s.to })
  return out
}

interface ChannelLike {
  key: string
  name: string
  children?: ChannelLike[]
}

/**
 * Display names of channels for facets and hits: the channel's own name, or
 * "parent · name" where several channels share a name (every leader has 讲话
 * and 活动), going up until the labels differ.
 */
export function channelLabels(nodes: ChannelLike[]): Record<string, string> {
  const chains: Array<{ key: string; chain: string[] }> = []
  const walk = (ns: ChannelLike[], above: string[]) => {
    for (const n of ns) {
      const chain = [...above, n.name]
      chains.push({ key: n.key, chain })
      walk(n.children ?? [], chain)
    }
  }
  walk(nodes, [])
  const label = (chain: string[], depth: number) => chain.slice(Math.max(0, chain.length - depth)).join(' · ')
  const out: Record<string, string> = {}
  for (const c of chains) {
    let depth = 1
    while (depth < c.chain.length && chains.some((o) => o.key !== c.key && label(o.chain, depth) === label(c.chain, depth))) depth++
    out[c.key] = label(c.chain, depth)
  }
  return out
}
