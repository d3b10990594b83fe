// 公文 (/api/office/v1/documents, /tasks), typed from the office API's
// description, and the address book (/org/people) that names their people.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

type Schemas = components['schemas']

/** A document as a list answers it (its open tasks included, no version). */
export type OfficialDoc = Schemas['OfficialdocDocument']
/** A document as a read or a write answers it. */
export type DocView = Schemas['OfficialdocDocumentView']
export type DocPage = Schemas['OfficialdocDocumentPage']
export type DocTask = Schemas['OfficialdocTask']
export type TaskEntry = Schemas['OfficialdocTaskEntry']
/** A new draft (officialdoc.Input). */
export type DocInput = operations['postDocuments']['requestBody']['content']['application/json']
export type DocType = DocInput['docType']
export type Direction = DocInput['direction']
export type DocListQuery = NonNullable<operations['getDocuments']['parameters']['query']>
export type TaskAction = operations['postTasksIdActions']['requestBody']['content']['application/json']
export type FlowGraph = Schemas['WorkflowFlowGraph']
export type FlowNode = Schemas['WorkflowGraphNode']
export type FlowEdge = Schemas['WorkflowGraphEdge']
export type Person = Schemas['IdentityPerson']

const DOCS = `${OFFICE_BASE}/documents`
const enc = encodeURIComponent

export function listDocuments(c: ApiClient, q: DocListQuery, signal?: AbortSignal): Promise<DocPage> {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v))
  const qs = p.toString()
  return c.request<DocPage>(qs ? `${DOCS}?${qs}` : DOCS, { signal })
}

export const getDocument = (c: ApiClient, id: string, signal?: AbortSignal) => c.request<DocView>(`${DOCS}/${enc(id)}`, { signal })
export const createDocument = (c: ApiClient, body: DocInput) => c.request<DocView>(DOCS, { body })
export const submitDocument = (c: ApiClient, id: string) => c.request<DocView>(`${DOCS}/${enc(id)}/submit`, { method: 'POST' })
export const getFlow = (c: ApiClient, id: string, signal?: AbortSignal) => c.request<FlowGraph>(`${DOCS}/${enc(id)}/flow`, { signal })

/** The caller's open tasks (待办), overdue and urged first. */
export const listTasks = (c: ApiClient, consistentWith?: number, signal?: AbortSignal) =>
  c.request<Schemas['OfficialdocTaskList']>(`${OFFICE_BASE}/tasks` + (consistentWith ? `?consistentWith=${consistentWith}` : ''), { signal })

export const actOnTask = (c: ApiClient, taskId: string, body: TaskAction) =>
  c.request<DocView>(`${OFFICE_BASE}/tasks/${enc(taskId)}/actions`, { body })

export async function listPeople(c: ApiClient, signal?: AbortSignal): Promise<Person[]> {
  return (await c.request<Schemas['IdentityPersonList']>(`${OFFICE_BASE}/org/people`, { signal })).items
}

// --- editing, revisions, 催办 / 终止, 公文查询 ---

/** An edit of a draft or of the document under review (officialdoc.Update: the fields and the version read). */
export type DocUpdate = operations['putDocumentsId']['requestBody']['content']['application/json']
export type Revision = Schemas['OfficialdocRevision']
export type RevisionDiff = Schemas['OfficialdocDiff']
export type DiffPart = Schemas['OfficialdocDiffPart']
export type Reading = Schemas['OfficialdocReading']
export type Receipt = Schemas['OfficialdocReceipt']
export type SearchQuery = NonNullable<operations['getDocumentsSearch']['parameters']['query']>
export type SearchResult = Schemas['OfficialdocSearchResult']
export type SearchHit = Schemas['OfficialdocSearchHit']

export const updateDocument = (c: ApiClient, id: string, body: DocUpdate) =>
  c.request<DocView>(`${DOCS}/${enc(id)}`, { method: 'PUT', body })
export const listRevisions = (c: ApiClient, id: string, signal?: AbortSignal) =>
  c.request<Schemas['OfficialdocRevisionList']>(`${DOCS}/${enc(id)}/revisions`, { signal })
export const diffRevisions = (c: ApiClient, id: string, from: number, to: number, signal?: AbortSignal) =>
  c.request<RevisionDiff>(`${DOCS}/${enc(id)}/revisions/diff?from=${from}&to=${to}`, { signal })
export const urgeDocument = (c: ApiClient, id: string, message: string) =>
  c.request<DocView>(`${DOCS}/${enc(id)}/urge`, { body: { message } })
export const terminateDocument = (c: ApiClient, id: string, reason: string) =>
  c.request<DocView>(`${DOCS}/${enc(id)}/terminate`, { body: { reason } })
/** The draft form's fields laid out as the printed PDF (GB/T 9704), nothing saved. */
export const previewDocument = (c: ApiClient, body: DocInput, signal?: AbortSignal) =>
  c.request<Blob>(`${DOCS}/preview`, { body, raw: true, signal })
export const searchDocuments = (c: ApiClient, qs: string, signal?: AbortSignal) =>
  c.request<SearchResult>(`${DOCS}/search${qs ? `?${qs}` : ''}`, { signal })
