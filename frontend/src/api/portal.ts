// Portal delivery API (/api/portal/v1): public reads of published items.
// Signed-in callers send their token, so internal channels and items show too.

import type { ApiClient } from './client'

export const PORTAL_BASE = '/api/portal/v1'

export type ContentType = 'article' | 'policy' | 'speech' | 'activity' | 'report'

export interface ChannelNode {
  key: string
  name: string
  types?: string[]
  visibility?: 'public' | 'internal' | string
  department?: string
  order?: number
  children?: ChannelNode[]
}

export interface Policy {
  docNumber: string
  issuers?: string[]
  genre?: string
  writtenAt?: string
  effectiveAt?: string
  expiresAt?: string
  validity?: string
}

export interface LeaderMeta {
  name: string
  occasion?: string
  date?: string
  place?: string
}

export interface ReportMeta {
  series: string
  issue?: string
  authors?: string[]
}

export interface Attachment {
  mediaId: string
  name: string
  size?: number
  type?: string
}

/** A typed link expanded one level by the delivery API. */
export interface LinkRef {
  id: string
  title: string
  path?: string
  docNumber?: string
  validity?: string
}

export interface ItemLinks {
  amends?: LinkRef[]
  repeals?: LinkRef[]
  interprets?: LinkRef[]
  amendedBy?: LinkRef[]
  repealedBy?: LinkRef[]
  interpretedBy?: LinkRef[]
}

export interface Item {
  id: string
  type: ContentType | string
  channel: string
  department?: string
  path?: string
  visibility?: string
  title: string
  subtitle?: string
  summary?: string
  /** Sanitised HTML (server-side allow-list). */
  body?: string
  source?: string
  author?: string
  cover?: string
  policy?: Policy
  leader?: LeaderMeta
  report?: ReportMeta
  attachments?: Attachment[]
  links?: ItemLinks
  status?: 'published' | 'withdrawn' | 'redirected' | 'gone' | string
  withdrawal?: { reason: string; at?: string }
  banner?: { text: string; replacement?: { id: string; title: string; path?: string } }
  edition?: number
  changeNote?: string
  publishedAt?: string
  updatedAt?: string
}

export interface ItemList {
  items: Item[]
  total?: number
  next?: string
}

export const mediaUrl = (id: string) => `${PORTAL_BASE}/media/${encodeURIComponent(id)}`

export function getChannels(client: ApiClient, signal?: AbortSignal): Promise<ChannelNode[]> {
  return client.optionalAuthRequest<ChannelNode[]>(`${PORTAL_BASE}/channels`, { signal })
}

/** query: a string from buildItemQuery (portal/query.ts). */
export function listItems(client: ApiClient, query: string, signal?: AbortSignal): Promise<ItemList> {
  return client.optionalAuthRequest<ItemList>(`${PORTAL_BASE}/items?${query}`, { signal })
}

export function getItem(client: ApiClient, id: string, signal?: AbortSignal): Promise<Item> {
  return client.optionalAuthRequest<Item>(`${PORTAL_BASE}/items/${encodeURIComponent(id)}`, { signal })
}

/** Finds a channel anywhere in the tree. */
export function findChannel(nodes: ChannelNode[], key: string): ChannelNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n
    const hit = findChannel(n.children ?? [], key)
    if (hit) return hit
  }
  return undefined
}

/** The chain of channels from a root down to key (empty when not found). */
export function channelPath(nodes: ChannelNode[], key: string): ChannelNode[] {
  for (const n of nodes) {
    if (n.key === key) return [n]
    const rest = channelPath(n.children ?? [], key)
    if (rest.length) return [n, ...rest]
  }
  return []
}

/** Every content type a channel or any channel below it takes. */
export function subtreeTypes(node: ChannelNode): Set<string> {
  const out = new Set<string>(node.types ?? [])
  for (const c of node.children ?? []) for (const t of subtreeTypes(c)) out.add(t)
  return out
}

/** Depth-first list of channels with their full Chinese path, e.g. "政府文件 / 省政府办公厅文件". */
export function flattenChannels(nodes: ChannelNode[], prefix = ''): Array<{ node: ChannelNode; label: string }> {
  const out: Array<{ node: ChannelNode; label: string }> = []
  for (const n of nodes) {
    const label = prefix ? `${prefix} / ${n.name}` : n.name
    out.push({ node: n, label })
    out.push(...flattenChannels(n.children ?? [], label))
  }
  return out
}

/** A draft rendered as an item, by preview token (from the management API). */
export function getPreview(client: ApiClient, token: string, signal?: AbortSignal): Promise<Item> {
  return client.optionalAuthRequest<Item>(`${PORTAL_BASE}/preview/${encodeURIComponent(token)}`, { signal })
}
