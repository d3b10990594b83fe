// 公文查询's filters, the page's address and the API's query string: one
// shape (the API's own query, typed from its description), read from the
// route (so a search is a link, and Back returns to it) and written back
// without the empty fields, page 1 and the default sort left out.

import type { SearchQuery } from './api'
import { DOC_TYPES } from './doctypes'

/** What the page keeps: the query without the read-your-writes token. */
export type SearchForm = Omit<SearchQuery, 'consistentWith'>

const STATES = ['draft', 'processing', 'completed', 'terminated'] as const
const DIRECTIONS = ['outgoing', 'incoming'] as const
export const PAGE_SIZE = 20

const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v)).trim()
const pick = <T extends string>(v: string, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(v) ? (v as T) : undefined
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)

/** The search a route's query names; what does not parse is left out, not refused. */
export function searchFromRoute(q: Record<string, unknown>): SearchForm {
  const f: SearchForm = {}
  const text = one(q.q)
  if (text) f.q = text
  const docType = pick(one(q.docType), DOC_TYPES.map((t) => t.type))
  if (docType) f.docType = docType
  const state = pick(one(q.state), STATES)
  if (state) f.state = state
  const direction = pick(one(q.direction), DIRECTIONS)
  if (direction) f.direction = direction
  for (const k of ['department', 'drafter', 'holder'] as const) if (one(q[k])) f[k] = one(q[k])
  if (one(q.overdue) === 'true') f.overdue = true
  for (const k of ['from', 'to'] as const) if (isDate(one(q[k]))) f[k] = one(q[k])
  if (one(q.sort) === 'date') f.sort = 'date'
  const page = Number(one(q.page))
  if (Number.isInteger(page) && page > 1) f.page = page
  return f
}

/** The route query (and the API's) for a search: strings, the empty and default ones left out, in a stable order. */
export function searchParams(f: SearchForm): Record<string, string> {
  const out: Record<string, string> = {}
  const keys = ['q', 'docType', 'state', 'direction', 'department', 'drafter', 'holder', 'overdue', 'from', 'to', 'sort', 'page'] as const
  for (const k of keys) {
    const v = f[k]
    if (v === undefined || v === '' || v === false) continue
    if (k === 'page' && Number(v) <= 1) continue
    if (k === 'sort' && v === 'relevance') continue
    out[k] = String(v).trim()
    if (!out[k]) delete out[k]
  }
  return out
}

/** The API's query string for a page of the search. */
export function searchQueryString(f: SearchForm): string {
  const p = new URLSearchParams(searchParams(f))
  p.set('size', String(PAGE_SIZE))
  return p.toString()
}
