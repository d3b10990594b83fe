// Instant messaging (/api/office/v1/chat), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

type Schemas = components['schemas']
export type Chat = Schemas['Chat']
export type ChatView = Schemas['ChatView']
export type Message = Schemas['ChatMessage']
export type Summary = Schemas['ChatSummary']
export type ReadState = Schemas['ChatReadState']
type Chats = Schemas['Chats']
type History = Schemas['ChatHistory']
export type GroupInput = operations['postChatGroups']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/chat`
const enc = encodeURIComponent

export const listChats = (c: ApiClient, consistentWith?: number) =>
  c.request<Chats>(`${BASE}/chats` + (consistentWith ? `?consistentWith=${consistentWith}` : ''))
export const openDirect = (c: ApiClient, userId: string) => c.request<ChatView>(`${BASE}/direct`, { body: { userId } })
export const createGroup = (c: ApiClient, body: GroupInput) => c.request<ChatView>(`${BASE}/groups`, { body })
export const changeMembers = (c: ApiClient, id: string, add: string[], remove: string[]) =>
  c.request<ChatView>(`${BASE}/chats/${enc(id)}/members`, { body: { add, remove } })
export const history = (c: ApiClient, id: string, before = 0) =>
  c.request<History>(`${BASE}/chats/${enc(id)}/messages?size=50` + (before ? `&before=${before}` : ''))
export const reads = (c: ApiClient, id: string) =>
  c.request<{ items: ReadState[] }>(`${BASE}/chats/${enc(id)}/reads`)

/** What the server sends on the socket (chathttp: chat.Event). */
export type ChatEvent = Schemas['ChatEvent']

/** The chat's display name for one member: the group's name, or the other person's. */
export function chatName(chat: Chat, me: string): string {
  if (chat.kind === 'group') return chat.name ?? '群聊'
  const other = chat.members.find((m) => m !== me) ?? me
  return chat.memberNames[other] ?? other
}

/** Splits plain text into text and http(s) links, for rendering without v-html. */
export function linkify(text: string): { text: string; href?: string }[] {
  const out: { text: string; href?: string }[] = []
  const re = /https?:\/\/[^\s<>"'）)，。]+/g
  let last = 0
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) })
    out.push({ text: m[0], href: m[0] })
    last = m.index + m[0].length
  }
  if (last < text.length) out.push({ text: text.slice(last) })
  return out
}
