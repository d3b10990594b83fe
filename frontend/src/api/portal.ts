// Portal delivery API (/api/portal/v1): public reads of published items.
// Signed-in callers send their token, so internal channels and items show too.

import type { ApiClient } from './client'
import type { components } from './schema/portal'

export const PORTAL_BASE = '/api/portal/v1'

// The shapes are the delivery API's own, generated from its description
// (schema/portal.ts, from the Go types).
type Schemas = components['schemas']

export type ContentType = Schemas['DeliveryItemView']['type']
export type ChannelNode = Schemas['DeliveryChannelNode']
export type Policy = Schemas['ItemPolicy']
export type LeaderMeta = Schemas['ItemLeader']
export type ReportMeta = Schemas['ItemReport']
export type Attachment = Schemas['ItemAttachment']
/** A typed link expanded one level by the delivery API. */
export type LinkRef = Schemas['DeliveryLinkRef']
export type ItemLinks = Schemas['DeliveryLinks']
/** An item as GET /items/{id} (and a preview) answers it. */
export type Item = Schemas['DeliveryItemView']
/** An item of a list: the fields the list asked for (?fields=), no more. */
export type ItemSummary = Schemas['DeliverySummary']
export type ItemList = Schemas['DeliveryPage']

export const mediaUrl = (id: string) => `${PORTAL_BASE}/media/${encodeURIComponent(id)}`

/** A file's description (name, size, type), for whoever may download it. */
export type MediaInfo = Schemas['MediaResponse']

export function getMediaInfo(client: ApiClient, id: string, signal?: AbortSignal): Promise<MediaInfo> {
  return client.optionalAuthRequest<MediaInfo>(`${mediaUrl(id)}/info`, { signal })
}

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
