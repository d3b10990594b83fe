// Search API (/api/search/v1): full-text search of the portal with facets and
// highlights, and title autocomplete. Signed-in callers send their token, so
// internal items are found too (the server applies access control to hits,
// totals and facets alike).

import type { ApiClient } from './client'
import type { components } from './schema/search'

export const SEARCH_BASE = '/api/search/v1'

// The shapes are the search API's own, generated from its description
// (schema/search.ts, from the Go types).
type Schemas = components['schemas']

/** A facet value with the number of hits that have it. */
export type FacetValue = Schemas['SearchapiFacetValue']

export type FacetName = 'channel' | 'type' | 'issuer' | 'year' | 'validity'

/**
 * A hit. status is "withdrawn" for a withdrawn item (still readable, with a
 * notice). highlights: fragments per field (title, summary, body,
 * attachment), text HTML-escaped by the server with the matches in <mark>:
 * render only through sanitizeMarks.
 */
export type SearchHit = Schemas['SearchapiHit']

export type SearchResult = Schemas['SearchapiResult']

export type Suggestion = Schemas['SearchapiSuggestion']

/** query: a string from buildSearchQuery (portal/search/state.ts). */
export function search(client: ApiClient, query: string, signal?: AbortSignal): Promise<SearchResult> {
  return client.optionalAuthRequest<SearchResult>(`${SEARCH_BASE}/search?${query}`, { signal })
}

/** Titles starting with (or close to) what the reader typed, best first. */
export async function suggest(client: ApiClient, prefix: string, signal?: AbortSignal): Promise<Suggestion[]> {
  const q = new URLSearchParams({ q: prefix, scope: 'portal' })
  const res = await client.optionalAuthRequest<Schemas['SearchapiSuggestions'] | undefined>(`${SEARCH_BASE}/suggest?${q}`, { signal })
  return res?.suggestions ?? []
}

/**
 * Tells the query log that the reader opened the rank-th result (from 1) of
 * the logged search logId, so that "queries with no click" can be counted.
 * Fire and forget: a keepalive request that outlives the page it leaves, sent
 * without a token (the log keeps no identity), its failure ignored.
 */
export function reportClick(logId: string | undefined, rank: number): void {
  if (!logId) return
  void fetch(`${SEARCH_BASE}/search/clicks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ logId, rank }),
    keepalive: true,
    credentials: 'omit',
  }).catch(() => undefined)
}
