// Internal mail (/api/office/v1/mail), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import { search, type SearchResult } from '../../api/search'
import type { components, operations } from '../../api/schema/office'

export type Letter = components['schemas']['MailLetter']
export type Entry = components['schemas']['MailEntry']
export type Box = components['schemas']['MailBox']
export type Group = components['schemas']['MailGroup']
export type Recalled = components['schemas']['MailRecalled']
export type MailInput = operations['postMail']['requestBody']['content']['application/json']
export type Address = NonNullable<MailInput['to']>[number]
export type Attachment = NonNullable<MailInput['attachments']>[number]
type Page = components['schemas']['MailEntryPage']

const BASE = `${OFFICE_BASE}/mail`
const id = (s: string) => encodeURIComponent(s)

export const sendMail = (c: ApiClient, body: MailInput) => c.request<Letter>(BASE, { body })
export const saveDraft = (c: ApiClient, body: MailInput) => c.request<Letter>(`${BASE}/drafts`, { body })
export const listFolder = (c: ApiClient, folder: string, consistentWith?: number) =>
  c.request<Page>(`${BASE}/entries?size=100&folder=${id(folder)}` + (consistentWith ? `&consistentWith=${consistentWith}` : ''))
export const folders = (c: ApiClient, consistentWith?: number) =>
  c.request<Box>(`${BASE}/folders` + (consistentWith ? `?consistentWith=${consistentWith}` : ''))
export const createFolder = (c: ApiClient, name: string) => c.request<unknown>(`${BASE}/folders`, { body: { name } })
export const readEntry = (c: ApiClient, entry: string) => c.request<Letter>(`${BASE}/entries/${id(entry)}`)
export const readMessage = (c: ApiClient, message: string) => c.request<Letter>(`${BASE}/messages/${id(message)}`)
export const updateEntry = (c: ApiClient, entry: string, body: { folder?: string; read?: boolean; starred?: boolean }) =>
  c.request<Letter>(`${BASE}/entries/${id(entry)}`, { method: 'PATCH', body })
export const deleteEntry = (c: ApiClient, entry: string) => c.request<void>(`${BASE}/entries/${id(entry)}`, { method: 'DELETE' })
export const restoreEntry = (c: ApiClient, entry: string) => c.request<Letter>(`${BASE}/entries/${id(entry)}/restore`, { body: {} })
export const recall = (c: ApiClient, entry: string) => c.request<Recalled>(`${BASE}/entries/${id(entry)}/recall`, { body: {} })
export const listGroups = (c: ApiClient) => c.request<Group[]>(`${BASE}/groups`)

/** The reader's own mail found by the office index (type 邮件), and what to offer when nothing was. */
export function searchMail(c: ApiClient, q: string): Promise<SearchResult> {
  return search(c, new URLSearchParams({ q, scope: 'office', type: '邮件' }).toString())
}

/** A byte count as people read it. */
export function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`
  return `${n} B`
}
