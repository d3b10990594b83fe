// Notifications (/api/office/v1/notifications), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type Notification = components['schemas']['NotifyNotification']
type NotificationPage = components['schemas']['NotifyNotificationPage']
type NotificationView = components['schemas']['NotifyNotificationView']
export type Unread = components['schemas']['NotifyUnread']
export type Preferences = components['schemas']['NotifyPrefsView']
export type Kind = NonNullable<operations['getNotifications']['parameters']['query']>['kind']

const BASE = `${OFFICE_BASE}/notifications`

/** The kinds as the reader sees them (the preferences page has the same labels from the server). */
export const KIND_LABELS: Record<string, string> = {
  task: '待办公文',
  urge: '催办',
  meeting: '会议',
  schedule: '领导活动',
  mail: '邮件',
  mention: '提及',
  system: '系统',
}

export interface ListOptions {
  unread?: boolean
  kind?: string
  size?: number
  cursor?: string
  consistentWith?: number | string
}

export function listNotifications(c: ApiClient, o: ListOptions = {}): Promise<NotificationPage> {
  const q = new URLSearchParams()
  if (o.unread) q.set('unread', 'true')
  if (o.kind) q.set('kind', o.kind)
  q.set('size', String(o.size ?? 20))
  if (o.cursor) q.set('cursor', o.cursor)
  if (o.consistentWith) q.set('consistentWith', String(o.consistentWith))
  return c.request<NotificationPage>(`${BASE}?${q}`)
}

export const unreadCount = (c: ApiClient, consistentWith?: number | string) =>
  c.request<Unread>(`${BASE}/unread` + (consistentWith ? `?consistentWith=${consistentWith}` : ''))
export const markRead = (c: ApiClient, id: string) =>
  c.request<NotificationView>(`${BASE}/${encodeURIComponent(id)}/read`, { method: 'POST' })
export const markAllRead = (c: ApiClient, kind?: string) =>
  c.request<{ marked: number }>(`${BASE}/read-all`, { body: kind ? { kind } : {} })
export const deleteNotification = (c: ApiClient, id: string) =>
  c.request<NotificationView>(`${BASE}/${encodeURIComponent(id)}`, { method: 'DELETE' })
export const getPreferences = (c: ApiClient) => c.request<Preferences>(`${BASE}/preferences`)
export const putPreferences = (c: ApiClient, off: string[]) =>
  c.request<Preferences>(`${BASE}/preferences`, { method: 'PUT', body: { off } })

/** Only the SPA's own paths are followed: a notice's link never leaves the office. */
export function safeLink(link: string | undefined): string | null {
  return link && link.startsWith('/office') && !link.startsWith('//') ? link : null
}
