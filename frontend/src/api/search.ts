// Search API (/api/search/v1): full-text search of the portal with facets and
// highlights, and title autocomplete. Signed-in callers send their token, so
// internal items are found too (the server applies access control to hits,
// totals and facets alike).

import type { ApiClient } from './client'

export const SEARCH_BASE = '/api/search/v1'

/** A facet value with the number of hits that have it. */
export interface FacetValue {
  value: string
  count: number
}

export type FacetName = 'channel' | 'type' | 'issuer' | 'year' | 'validity'

export interface SearchHit {
  id: string
  title: string
  type?: string
  channel?: string
  path?: string
  publishedAt?: string
  docNumber?: string
  validity?: string
  /** "withdrawn": the item was withdrawn (still readable, with a notice); absent otherwise. */
  status?: string
  /**
   * Fragments per field (title, summary, body, attachment): text HTML-escaped by
   * the server with the matches in <mark>. Render only through sanitizeMarks.
   */
  highlights?: Record<string, string[] | undefined>
}

export interface SearchResult {
  total: number
  hits: SearchHit[]
  facets?: Partial<Record<FacetName, FacetValue[]>>
}

export interface Suggestion {
  text: string
  id?: string
}

/** query: a string from buildSearchQuery (portal/search/state.ts). */
export function search(client: ApiClient, query: string, signal?: AbortSignal): Promise<SearchResult> {
  return client.optionalAuthRequest<SearchResult>(`${SEARCH_BASE}/search?${query}`, { signal })
}

/** Titles starting with (or close to) what the reader typed, best first. */
export async function suggest(client: ApiClient, prefix: string, signal?: AbortSignal): Promise<Suggestion[]> {
  const q = new URLSearchParams({ q: prefix, scope: 'portal' })
  const res = await client.optionalAuthRequest<{ suggestions?: Suggestion[] }>(`${SEARCH_BASE}/suggest?${q}`, { signal })
  return res?.suggestions ?? []
}
