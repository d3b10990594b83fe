// The archive (/api/office/v1/archive), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type ArchiveSummary = components['schemas']['ArchiveSummary']
export type ArchiveRecord = components['schemas']['ArchiveRecordView']
export type ArchivePart = components['schemas']['ArchivePart']
export type ArchiveEvent = components['schemas']['ArchiveEvent']
type ArchivePage = components['schemas']['ArchiveSummaryPage']
export type CatalogueQuery = NonNullable<operations['getArchiveRecords']['parameters']['query']>
export type VoidInput = operations['postArchiveRecordsIdVoid']['requestBody']['content']['application/json']
export type AppraisalInput = operations['postArchiveRecordsIdAppraisal']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/archive`

/** The query string of a list's filters, the empty ones left out. */
export function queryString(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== '' && v !== 0) p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

export const listRecords = (c: ApiClient, q: CatalogueQuery, signal?: AbortSignal) =>
  c.request<ArchivePage>(`${BASE}/records${queryString(q)}`, { signal })
export const listExpiring = (c: ApiClient, before?: string, cursor?: string) =>
  c.request<ArchivePage>(`${BASE}/appraisal${queryString({ before, cursor, size: 50 })}`)
export type ArchiveInput = operations['postArchiveRecords']['requestBody']['content']['application/json']
/** 归档: seals the document into the archive and completes its 归档 task. */
export const archiveDocument = (c: ApiClient, document: string, retention?: ArchiveInput['retention']) =>
  c.request<ArchiveRecord>(`${BASE}/records`, { body: retention ? { document, retention } : { document } })
export const getRecord = (c: ApiClient, id: string) => c.request<ArchiveRecord>(`${BASE}/records/${encodeURIComponent(id)}`)
export const checkFixity = (c: ApiClient, id: string) =>
  c.request<ArchiveRecord>(`${BASE}/records/${encodeURIComponent(id)}/fixity`, { method: 'POST' })
export const voidRecord = (c: ApiClient, id: string, body: VoidInput) =>
  c.request<ArchiveRecord>(`${BASE}/records/${encodeURIComponent(id)}/void`, { body })
export const appraise = (c: ApiClient, id: string, body: AppraisalInput) =>
  c.request<ArchiveRecord>(`${BASE}/records/${encodeURIComponent(id)}/appraisal`, { body })
/** The export package (a ZIP) of the records named. */
export const exportRecords = (c: ApiClient, ids: string[]) => c.request<Blob>(`${BASE}/export`, { body: { ids }, raw: true })
