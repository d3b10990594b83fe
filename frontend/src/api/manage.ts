// Portal management API (/api/portal/v1/manage): documents, editions, review.

import type { ApiClient } from './client'
import { PORTAL_BASE } from './portal'
import type { components, paths } from './schema/portal'

// The shapes are the management API's own, generated from its description
// (schema/portal.ts, from the Go types).
type Schemas = components['schemas']

export const MANAGE_BASE = `${PORTAL_BASE}/manage`

export type DocState = 'draft' | 'in_review' | 'scheduled' | 'published' | 'withdrawn' | 'redirected' | 'gone'

/** The editable fields of a document, per type (see docs/portal-api.md). */
export type DocFields = Schemas['ContentFields']

/** A listed document: the management index's summary. */
export type DocumentSummary = Schemas['ContentSummary']

/** A document's identity and workflow state (DocumentDetail.document). */
export type Document = Schemas['ContentDocument']

/** One numbered version of a document, with who wrote, submitted, reviewed and published it. */
export type Edition = Schemas['ContentEdition']

/**
 * A document as the management API returns it (GET, and the answer of every
 * change): the document, its working and live editions, the store version
 * to send back with the next change (stale → 409), and the feed sequence of
 * the write (lists asked with ?consistentWith=seq include it).
 */
export type DocumentDetail = Schemas['ContentView']

export type DocumentList = Schemas['ContentListResult']

export type NewDocument = paths['/manage/documents']['post']['requestBody']['content']['application/json']

const doc = (id: string) => `${MANAGE_BASE}/documents/${encodeURIComponent(id)}`

export function listDocuments(client: ApiClient, query: string, signal?: AbortSignal): Promise<DocumentList> {
  return client.request<DocumentList>(`${MANAGE_BASE}/documents${query ? `?${query}` : ''}`, { signal })
}

export function createDocument(client: ApiClient, body: NewDocument): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${MANAGE_BASE}/documents`, { body })
}

export function getDocument(client: ApiClient, id: string, signal?: AbortSignal): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(doc(id), { signal })
}

export function saveDraft(
  client: ApiClient,
  id: string,
  body: { version: number; fields: DocFields; changeNote?: string },
): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/draft`, { method: 'PUT', body })
}

export function submitDocument(client: ApiClient, id: string, version: number): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/submit`, { body: { version } })
}

export function approveDocument(
  client: ApiClient,
  id: string,
  body: { version: number; comment?: string; publishAt?: string },
): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/approve`, { body })
}

export function rejectDocument(client: ApiClient, id: string, body: { version: number; reason: string }): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/reject`, { body })
}

/** Withdraws the live edition now, or schedules that for `at` (RFC 3339, in the future). Publishers only. */
export function withdrawDocument(
  client: ApiClient,
  id: string,
  body: { version?: number; reason: string; at?: string },
): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/withdraw`, { body })
}

/** Sends readers of this document to another published one (`to`: its id). Publishers only. */
export function redirectDocument(client: ApiClient, id: string, body: { version?: number; to: string }): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/redirect`, { body })
}

/** Removes the document for good: readers get 410. Publishers only. */
export function removeDocument(client: ApiClient, id: string, version?: number): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/remove`, { body: { version } })
}

export function reviewQueue(client: ApiClient, query = '', signal?: AbortSignal): Promise<DocumentList> {
  return client.request(`${MANAGE_BASE}/review-queue${query ? `?${query}` : ''}`, { signal })
}

export function listEditions(client: ApiClient, id: string, signal?: AbortSignal): Promise<Schemas['ContentEditionList']> {
  return client.request(`${doc(id)}/editions`, { signal })
}

export function getEdition(client: ApiClient, id: string, n: number, signal?: AbortSignal): Promise<Edition> {
  return client.request<Edition>(`${doc(id)}/editions/${n}`, { signal })
}

export function diffEditions(client: ApiClient, id: string, from: number, to: number): Promise<Schemas['ContentDiffResult']> {
  return client.request(`${doc(id)}/diff?from=${from}&to=${to}`)
}

export function rollbackDocument(client: ApiClient, id: string, edition: number, version?: number): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/rollback`, { body: { edition, version } })
}

export function previewDocument(client: ApiClient, id: string): Promise<Schemas['ContentPreviewToken']> {
  return client.request(`${doc(id)}/preview`, { method: 'POST', body: {} })
}

/** POST /media (multipart `file`). */
export function uploadMedia(client: ApiClient, file: File): Promise<Schemas['MediaResponse']> {
  const form = new FormData()
  form.append('file', file, file.name)
  return client.request(`${PORTAL_BASE}/media`, { body: form })
}

/** A list answer may be {items} or a bare array. */
export function listOf<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[]
  if (v && typeof v === 'object') {
    for (const k of ['items', 'editions', 'documents']) {
      const a = (v as Record<string, unknown>)[k]
      if (Array.isArray(a)) return a as T[]
    }
  }
  return []
}
