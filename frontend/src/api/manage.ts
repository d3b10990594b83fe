// Portal management API (/api/portal/v1/manage): documents, editions, review.

import type { ApiClient } from './client'
import { PORTAL_BASE, type Attachment, type ContentType } from './portal'

export const MANAGE_BASE = `${PORTAL_BASE}/manage`

export type DocState = 'draft' | 'in_review' | 'scheduled' | 'published' | 'withdrawn' | 'redirected' | 'gone'

/** The editable fields of a document, per type (see docs/portal-api.md). */
export interface DocFields {
  title?: string
  subtitle?: string
  summary?: string
  body?: string
  source?: string
  author?: string
  cover?: string
  // policy
  docNumber?: string
  issuers?: string[]
  genre?: string
  writtenAt?: string
  publishAt?: string
  effectiveAt?: string
  expiresAt?: string
  validity?: string
  links?: { amends?: string[]; repeals?: string[]; interprets?: string[] }
  // speech / activity
  leader?: string
  occasion?: string
  date?: string
  place?: string
  // report
  series?: string
  issue?: string
  authors?: string[]
  attachments?: Attachment[]
  [extra: string]: unknown
}

export interface DocumentSummary {
  id: string
  type: ContentType | string
  channel: string
  department: string
  state: DocState | string
  step?: string
  /** What readers see: published, withdrawn, redirected or gone ("" / absent: never published). */
  live?: DocState | string
  title?: string
  docNumber?: string
  fields?: DocFields
  version?: number
  updatedAt?: string
  editor?: unknown
  /** A scheduled withdrawal: when (RFC 3339) and why. */
  withdrawAt?: string
  withdrawReason?: string
  /** The notice of a withdrawal that happened. */
  withdrawal?: { reason: string; at?: string }
  /** Where a redirected document sends readers (a document id). */
  redirectTo?: string
  [extra: string]: unknown
}

export interface Edition {
  edition?: number
  number?: number
  n?: number
  state?: string
  fields?: DocFields
  changeNote?: string
  editor?: unknown
  editorName?: string
  reviewers?: unknown[]
  reviews?: Array<{ step?: string; reviewer?: string; reviewerName?: string; decision?: string; comment?: string; at?: string }>
  createdAt?: string
  updatedAt?: string
  publishedAt?: string
  [extra: string]: unknown
}

/** A document as the management API returns it (GET, and the answer of every change). */
export interface DocumentDetail {
  document: DocumentSummary
  draft?: Edition | null
  published?: Edition | null
  /** Store version: send it back with the next change (stale → 409). */
  version: number
  /** Feed sequence of the write: lists asked with ?consistentWith=seq include it. */
  seq?: number
}

export interface DocumentList {
  items: DocumentSummary[]
  total?: number
  next?: string
}

export interface NewDocument {
  type: string
  channel: string
  department: string
  fields: DocFields
  changeNote?: string
}

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

export function reviewQueue(client: ApiClient, query = '', signal?: AbortSignal): Promise<DocumentList | DocumentSummary[]> {
  return client.request(`${MANAGE_BASE}/review-queue${query ? `?${query}` : ''}`, { signal })
}

export function listEditions(client: ApiClient, id: string, signal?: AbortSignal): Promise<unknown> {
  return client.request(`${doc(id)}/editions`, { signal })
}

export function getEdition(client: ApiClient, id: string, n: number, signal?: AbortSignal): Promise<Edition> {
  return client.request<Edition>(`${doc(id)}/editions/${n}`, { signal })
}

export function diffEditions(client: ApiClient, id: string, from: number, to: number): Promise<unknown> {
  return client.request(`${doc(id)}/diff?from=${from}&to=${to}`)
}

export function rollbackDocument(client: ApiClient, id: string, edition: number, version?: number): Promise<DocumentDetail> {
  return client.request<DocumentDetail>(`${doc(id)}/rollback`, { body: { edition, version } })
}

export function previewDocument(client: ApiClient, id: string): Promise<{ token: string; url: string; expiresAt: string }> {
  return client.request(`${doc(id)}/preview`, { method: 'POST', body: {} })
}

/** POST /media (multipart `file`). */
export function uploadMedia(
  client: ApiClient,
  file: File,
): Promise<{ id: string; name: string; size: number; type: string; sha256?: string; url?: string; thumbnailUrl?: string }> {
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
