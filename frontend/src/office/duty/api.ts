// Duty (/api/office/v1/duty), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import { OFFICE_TIME_ZONE } from '../../api/problem'
import type { components, operations } from '../../api/schema/office'

export type RosterView = components['schemas']['DutyRosterView']
export type Day = components['schemas']['DutyDay']
export type Swap = components['schemas']['DutySwap']
type SwapPage = components['schemas']['DutySwapPage']
export type SwapView = components['schemas']['DutySwapView']
export type Entry = components['schemas']['DutyEntry']
type EntryPage = components['schemas']['DutyEntryPage']
export type EntryView = components['schemas']['DutyEntryView']
export type HandoverView = components['schemas']['DutyHandoverView']
export type Summary = components['schemas']['DutySummary']
export type MyDuty = components['schemas']['DutyMyDuty']
export type People = components['schemas']['DutyPeople']
export type RosterInput = operations['putDutyRostersMonth']['requestBody']['content']['application/json']
export type EntryInput = operations['postDutyLogs']['requestBody']['content']['application/json']
export type SwapInput = operations['postDutySwaps']['requestBody']['content']['application/json']
export type LogQuery = NonNullable<operations['getDutyLogs']['parameters']['query']>

const BASE = `${OFFICE_BASE}/duty`
const enc = encodeURIComponent

export const KINDS: EntryInput['kind'][] = ['来电', '来文', '突发事件', '信息报送', '请示报告', '其他']
export const POSITIONS: Record<string, string> = { leader: '带班领导', main: '主班', deputy: '副班' }
export const SWAP_STATES: Record<string, [label: string, tag: 'warning' | 'success' | 'danger' | 'info' | 'primary']> = {
  requested: ['待对方同意', 'warning'],
  agreed: ['待值班室审批', 'primary'],
  approved: ['已批准', 'success'],
  declined: ['对方未同意', 'info'],
  refused: ['未批准', 'danger'],
  withdrawn: ['已撤回', 'info'],
}

export const getRoster = (c: ApiClient, month: string) => c.request<RosterView>(`${BASE}/rosters/${enc(month)}`)
export const saveRoster = (c: ApiClient, month: string, body: RosterInput) =>
  c.request<RosterView>(`${BASE}/rosters/${enc(month)}`, { method: 'PUT', body })
export const listPeople = (c: ApiClient) => c.request<People>(`${BASE}/people`)
export const publishRoster = (c: ApiClient, month: string) =>
  c.request<RosterView>(`${BASE}/rosters/${enc(month)}/publish`, { body: {} })
export const myDuties = (c: ApiClient) => c.request<MyDuty[]>(`${BASE}/mine`)

export const listSwaps = (c: ApiClient, consistentWith?: number) =>
  c.request<SwapPage>(`${BASE}/swaps?size=100` + (consistentWith ? `&consistentWith=${consistentWith}` : ''))
export const requestSwap = (c: ApiClient, body: SwapInput) => c.request<SwapView>(`${BASE}/swaps`, { body })
export const swapStep = (c: ApiClient, id: string, step: 'agree' | 'decline' | 'withdraw' | 'approve' | 'refuse', comment = '') =>
  c.request<SwapView>(`${BASE}/swaps/${enc(id)}/${step}`, { body: step === 'agree' || step === 'withdraw' ? {} : { comment } })

export function listLog(c: ApiClient, q: LogQuery): Promise<EntryPage> {
  const params = new URLSearchParams({ size: '100' })
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v))
  return c.request<EntryPage>(`${BASE}/logs?${params}`)
}
export const recordEntry = (c: ApiClient, body: EntryInput) => c.request<EntryView>(`${BASE}/logs`, { body })
export const instruct = (c: ApiClient, id: string, instruction: string, leader = '') =>
  c.request<EntryView>(`${BASE}/logs/${enc(id)}/instruction`, { body: { instruction, leader } })
export const acknowledge = (c: ApiClient, id: string) => c.request<EntryView>(`${BASE}/logs/${enc(id)}/acknowledge`, { body: {} })
export const flag = (c: ApiClient, id: string) => c.request<EntryView>(`${BASE}/logs/${enc(id)}/flag`, { body: {} })
export const progress = (c: ApiClient, id: string, action: string, close: boolean) =>
  c.request<EntryView>(`${BASE}/logs/${enc(id)}/progress`, { body: { action, close } })

export const getHandover = (c: ApiClient, date: string) => c.request<HandoverView>(`${BASE}/shifts/${enc(date)}/handover`)
export const handOver = (c: ApiClient, date: string, note: string) =>
  c.request<HandoverView>(`${BASE}/shifts/${enc(date)}/handover`, { body: { note } })
export const acceptHandover = (c: ApiClient, date: string, note = '') =>
  c.request<HandoverView>(`${BASE}/shifts/${enc(date)}/handover/accept`, { body: { note } })

export const summary = (c: ApiClient, month: string) => c.request<Summary>(`${BASE}/summary?month=${enc(month)}`)
export const summaryXLSX = (c: ApiClient, month: string) => c.request<Blob>(`${BASE}/summary.xlsx?month=${enc(month)}`, { raw: true })

/** The duty day of an instant, as the server counts it: the office's date (Asia/Shanghai), less one before 08:30. */
export function dutyDay(now = new Date()): string {
  const shifted = new Date(now.getTime() - (8 * 60 + 30) * 60000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: OFFICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(shifted)
}
