// The leaders' schedule (/api/office/v1/schedule), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type Entry = components['schemas']['ScheduleEntry']
export type EntryView = components['schemas']['ScheduleEntryView']
type EntryPage = components['schemas']['ScheduleEntryPage']
export type Grid = components['schemas']['ScheduleGrid']
export type Change = components['schemas']['ScheduleChange']
export type WeekView = components['schemas']['ScheduleWeekView']
export type Leaders = components['schemas']['ScheduleLeaders']
export type Stats = components['schemas']['ScheduleStats']
export type EntryInput = operations['postScheduleEntries']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/schedule`

export const PERIODS = ['上午', '下午', '晚上'] as const
export const TYPES: EntryInput['type'][] = ['会议', '调研', '会见', '外事', '出差', '其他']
export const STATES: Record<string, [label: string, tag: 'warning' | 'success' | 'danger' | 'info' | 'primary']> = {
  submitted: ['已报送', 'warning'],
  scheduled: ['已编排', 'success'],
  changed: ['已变更', 'primary'],
  cancelled: ['已取消', 'info'],
  returned: ['已退回', 'danger'],
  withdrawn: ['已撤回', 'info'],
}

const week = (w: string) => `${BASE}/weeks/${encodeURIComponent(w)}`
const entry = (id: string) => `${BASE}/entries/${encodeURIComponent(id)}`

export const getWeek = (c: ApiClient, w: string) => c.request<Grid>(week(w))
export const weekStep = (c: ApiClient, w: string, step: 'compile' | 'approve' | 'publish') =>
  c.request<WeekView>(`${week(w)}/${step}`, { method: 'POST' })
export const getLeaders = (c: ApiClient) => c.request<Leaders>(`${BASE}/leaders`)
export type LeadersInput = operations['putScheduleLeaders']['requestBody']['content']['application/json']
export const setLeaders = (c: ApiClient, body: LeadersInput) => c.request<Leaders>(`${BASE}/leaders`, { method: 'PUT', body })
export const submitEntry = (c: ApiClient, body: EntryInput) => c.request<EntryView>(`${BASE}/entries`, { body })
export const updateEntry = (c: ApiClient, id: string, body: EntryInput) =>
  c.request<EntryView>(entry(id), { method: 'PUT', body })
export const listEntries = (c: ApiClient, consistentWith?: number) =>
  c.request<EntryPage>(`${BASE}/entries?size=100` + (consistentWith ? `&consistentWith=${consistentWith}` : ''))
export const entryStep = (c: ApiClient, id: string, step: 'withdraw' | 'return' | 'cancel', comment = '') =>
  c.request<EntryView>(`${entry(id)}/${step}`, { body: step === 'withdraw' ? {} : { comment } })

function statsQuery(from: string, to: string, leader?: string): string {
  const q = new URLSearchParams({ from, to })
  if (leader) q.set('leader', leader)
  return q.toString()
}
export const getStats = (c: ApiClient, from: string, to: string, leader?: string) =>
  c.request<Stats>(`${BASE}/stats?${statsQuery(from, to, leader)}`)
export const exportStats = (c: ApiClient, kind: 'xlsx' | 'pdf', from: string, to: string, leader?: string) =>
  c.request<Blob>(`${BASE}/stats.${kind}?${statsQuery(from, to, leader)}`, { raw: true })

/** The ISO week of a day ("2026-W50"), the server's week names. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()))
  const day = t.getUTCDay() || 7
  t.setUTCDate(t.getUTCDate() + 4 - day) // the Thursday decides the year
  const year = t.getUTCFullYear()
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** An entry's time as the grid shows it: 09:00–11:30, with its last day if it runs over several. */
export function timeOf(e: Entry): string {
  return `${e.start}–${e.end}` + (e.endDate ? `（至${e.endDate.slice(5)}）` : '')
}

/** The input that would write an entry as it is (to edit it). */
export function inputOf(e: Entry): EntryInput {
  return {
    leaderId: e.leaderId, date: e.date, endDate: e.endDate ?? '', period: e.period as EntryInput['period'],
    start: e.start, end: e.end, type: e.type as EntryInput['type'], content: e.content, place: e.place,
    city: e.city ?? '', department: e.department, attendees: e.attendees ?? '', contact: e.contact ?? '',
    phone: e.phone ?? '', classification: e.classification as EntryInput['classification'],
  }
}
