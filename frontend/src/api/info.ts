// Department information platforms (/api/office/v1/info) and the gateway's
// status (/api/office/v1/gateway/status); see docs/info-gateway.md.

import type { ApiClient } from './client'
import { OFFICE_BASE } from './office'
import type { components } from './schema/office'

export const INFO_BASE = `${OFFICE_BASE}/info`

type Schemas = components['schemas']

export type InfoKind = Schemas['InfoSummary']['kind']
export type InfoAudience = Schemas['InfoSummary']['audience']
export type InfoState = Schemas['InfoSummary']['state']
export type InfoPortal = Schemas['InfoPortal']
/** An item as GET /info/items/{id} answers it. */
export type InfoView = Schemas['InfoView']
/** An item as a list answers it: the index's summary, without the body. */
export type InfoSummary = Schemas['InfoSummary']

/**
 * An item as the screens use it: the detail's fields, of which a list
 * summary (normaliseItem) has only some.
 */
type Required = 'id' | 'department' | 'kind' | 'title' | 'classification' | 'audience' | 'state' | 'revision' | 'version'
export type InfoItem = Pick<InfoView, Required> &
  Partial<Omit<InfoView, Required | 'portal'>> & {
    /** A summary's portal state: its approval is for its current revision. */
    portal?: Omit<InfoPortal, 'approvedRevision'> & { approvedRevision?: number }
  }

export interface InfoList {
  items: InfoItem[]
  total?: number
  next?: string
}

export interface InfoFields {
  kind: string
  title: string
  summary: string
  body: string
  classification: string
  audience: string
  /** The edit form does not change these, but PUT replaces them: send back what was read. */
  principals?: string[]
  attachments?: InfoItem['attachments']
}

export interface NewInfoItem extends InfoFields {
  department: string
}

export type InfoRule = Schemas['InfoRule']

export type GatewayStatus = Schemas['GatewayStatus']

export interface ListQuery {
  scope?: 'department' | 'office'
  department?: string
  kind?: string
  state?: string
  q?: string
  size?: number
  cursor?: string
}

/** The list query string: only the values that are set. */
export function infoQuery(q: ListQuery): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  }
  return p.toString()
}

const item = (id: string) => `${INFO_BASE}/items/${encodeURIComponent(id)}`

/** Rules and lists may come as a bare array or wrapped in {items}. */
export function itemsOf<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[]
  if (v && typeof v === 'object') {
    for (const k of ['items', 'rules']) {
      const a = (v as Record<string, unknown>)[k]
      if (Array.isArray(a)) return a as T[]
    }
  }
  return []
}

type Raw = Record<string, unknown>
const isObj = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * An item as the screens use it. Lists and the desktop answer index summaries
 * with the portal state flat (`designated`, `approved`, `channel`) and no
 * version; the detail answers the document with a `portal` object. Both become
 * the latter (a summary's approval is for its current revision: an edit clears it).
 */
export function normaliseItem(raw: unknown): InfoItem {
  const r = (isObj(raw) ? raw : {}) as Raw & Partial<InfoItem>
  if (isObj(r.portal)) return r as InfoItem
  const approved = r.approved === true
  return {
    ...(r as InfoItem),
    version: typeof r.version === 'number' ? r.version : 0,
    portal: {
      designated: r.designated === true,
      channel: typeof r.channel === 'string' ? r.channel : undefined,
      approved,
      approvedRevision: approved ? (r.revision as number) : undefined,
    },
  }
}

export async function listInfo(client: ApiClient, q: ListQuery, signal?: AbortSignal): Promise<InfoList> {
  const qs = infoQuery(q)
  const res = await client.request<unknown>(`${INFO_BASE}/items${qs ? `?${qs}` : ''}`, { signal })
  const r = (isObj(res) ? res : {}) as Partial<InfoList>
  return { items: itemsOf<unknown>(res).map(normaliseItem), total: r.total, next: r.next || undefined }
}

export function createInfo(client: ApiClient, body: NewInfoItem): Promise<InfoItem> {
  return client.request<InfoItem>(`${INFO_BASE}/items`, { body })
}

export function getInfo(client: ApiClient, id: string, signal?: AbortSignal): Promise<InfoItem> {
  return client.request<InfoItem>(item(id), { signal })
}

export function updateInfo(client: ApiClient, id: string, body: InfoFields & { version: number }): Promise<InfoItem> {
  return client.request<InfoItem>(item(id), { method: 'PUT', body })
}

/** Workflow steps without a body: the server acts on the item's current state. */
export type InfoStep = 'submit' | 'approve' | 'portal-approve'
/** Workflow steps that need a reason. */
export type InfoReasonStep = 'reject' | 'withdraw' | 'portal-revoke'
export type InfoAction = InfoStep | InfoReasonStep

// Every step takes the store version the client last saw, optionally: with it,
// a step taken on a stale view of the item is refused with 409 (someone changed
// the item meanwhile). Unknown fields are refused with 400. A step the item's
// state does not allow is a 409 too (code invalid_state).
const withVersion = <T extends object>(body: T, version?: number) => (version === undefined ? body : { ...body, version })

export function infoStep(client: ApiClient, id: string, step: InfoStep, version?: number): Promise<InfoItem> {
  return client.request<InfoItem>(`${item(id)}/${step}`, { body: withVersion({}, version) })
}

export function infoReasonStep(
  client: ApiClient,
  id: string,
  step: InfoReasonStep,
  reason: string,
  version?: number,
): Promise<InfoItem> {
  return client.request<InfoItem>(`${item(id)}/${step}`, { body: withVersion({ reason }, version) })
}

export function designateInfo(
  client: ApiClient,
  id: string,
  body: { channel: string; embargoUntil?: string },
  version?: number,
): Promise<InfoItem> {
  return client.request<InfoItem>(`${item(id)}/designate`, { body: withVersion(body, version) })
}

export async function listRules(client: ApiClient, signal?: AbortSignal): Promise<InfoRule[]> {
  return itemsOf<InfoRule>(await client.request<unknown>(`${INFO_BASE}/rules`, { signal }))
}

export function createRule(client: ApiClient, body: { department: string; kind: string; channel: string }): Promise<InfoRule> {
  return client.request<InfoRule>(`${INFO_BASE}/rules`, { body })
}

export function deleteRule(client: ApiClient, id: string): Promise<void> {
  return client.request<void>(`${INFO_BASE}/rules/${encodeURIComponent(id)}`, { method: 'DELETE' })
}

export function getGatewayStatus(client: ApiClient, signal?: AbortSignal): Promise<GatewayStatus> {
  return client.request<GatewayStatus>(`${OFFICE_BASE}/gateway/status`, { signal })
}
