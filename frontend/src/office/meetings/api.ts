// Meetings (/api/office/v1/meetings), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

/** A meeting as the API answers it (with its version and feed sequence). */
export type Meeting = components['schemas']['MeetingView']
export type MeetingSummary = components['schemas']['MeetingSummary']
type MeetingPage = components['schemas']['MeetingSummaryPage']
export type Room = components['schemas']['MeetingRoom']
export type Conflict = components['schemas']['MeetingConflict']
export type Arrangement = components['schemas']['MeetingArrangement']
export type Seated = components['schemas']['MeetingSeated']
export type Attendance = components['schemas']['MeetingAttendance']
export type BookInput = operations['postMeetings']['requestBody']['content']['application/json']
export type RescheduleInput = operations['postMeetingsIdReschedule']['requestBody']['content']['application/json']
export type AttendeesInput = operations['postMeetingsIdAttendees']['requestBody']['content']['application/json']
type SeatingSeat = components['schemas']['SeatingSeat']
/** A seat of the layout, every coordinate set (section: audience only). */
export type Seat = Required<Pick<SeatingSeat, 'area' | 'row' | 'number'>> & Pick<SeatingSeat, 'section'>

const BASE = `${OFFICE_BASE}/meetings`
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const TYPES = ['办公会议', '专题会议', '工作会议', '座谈会', '视频会议', '其他'] as const
export const REPLIES: Record<string, [label: string, tag: 'info' | 'success' | 'warning' | 'danger']> = {
  invited: ['未回复', 'info'],
  accepted: ['参加', 'success'],
  declined: ['请假', 'danger'],
  delegated: ['委托参加', 'warning'],
}
export const STATES: Record<string, [label: string, tag: 'success' | 'info' | 'danger']> = {
  scheduled: ['已安排', 'success'],
  closed: ['已结束', 'info'],
  cancelled: ['已取消', 'danger'],
}

export const listRooms = (c: ApiClient) => c.request<{ items: Room[] }>(`${BASE}/rooms`)
export const listMeetings = (c: ApiClient, scope: 'all' | 'mine' | 'organised', consistentWith?: number) =>
  c.request<MeetingPage>(`${BASE}?size=100&scope=${scope}` + (consistentWith ? `&consistentWith=${consistentWith}` : ''))
export const getMeeting = (c: ApiClient, id: string) => c.request<Meeting>(one(id))
export const bookMeeting = (c: ApiClient, body: BookInput) => c.request<Meeting>(BASE, { body })
export const checkConflicts = (c: ApiClient, body: BookInput) =>
  c.request<{ conflicts: Conflict[] }>(`${BASE}/conflicts`, { body })
export const meetingStep = (c: ApiClient, id: string, step: 'read' | 'remind' | 'cancel' | 'finish') =>
  c.request<Meeting>(`${one(id)}/${step}`, { body: {} })
export const reply = (c: ApiClient, id: string, body: { reply: 'accept' | 'decline' | 'delegate'; delegateTo?: string; comment?: string }) =>
  c.request<Meeting>(`${one(id)}/reply`, { body })
export const checkIn = (c: ApiClient, id: string, body: { code?: string; userIds?: string[] }) =>
  c.request<Meeting>(`${one(id)}/checkin`, { body })
export const nameDelegates = (c: ApiClient, id: string, department: string, userIds: string[]) =>
  c.request<Meeting>(`${one(id)}/delegates`, { body: { department, userIds } })
export const attendance = (c: ApiClient, id: string) => c.request<Attendance>(`${one(id)}/attendance`)
export const startMinutes = (c: ApiClient, id: string, body: { body: string; issuer: string; issuerCode: string }) =>
  c.request<Meeting>(`${one(id)}/minutes`, { body })
/** 改期、换会议室 (the organiser, before the start): 409 meeting_conflict lists what collides. */
export const reschedule = (c: ApiClient, id: string, body: RescheduleInput) =>
  c.request<Meeting>(`${one(id)}/reschedule`, { body })
/** 增减参会人员 (the organiser, before the start). */
export const changeAttendees = (c: ApiClient, id: string, body: AttendeesInput) =>
  c.request<Meeting>(`${one(id)}/attendees`, { body })
export const getSeating = (c: ApiClient, id: string) => c.request<Arrangement>(`${one(id)}/seating`)
export const arrange = (c: ApiClient, id: string, even?: 'firstLeft' | 'firstRight', mixDepartments?: boolean) =>
  c.request<Arrangement>(`${one(id)}/seating`, { body: { ...(even ? { even } : {}), ...(mixDepartments === undefined ? {} : { mixDepartments }) } })
export const moveSeats = (c: ApiClient, id: string, moves: { userId: string; seat: Seat | null }[]) =>
  c.request<Arrangement>(`${one(id)}/seating`, { method: 'PUT', body: { moves } })
export const printed = (c: ApiClient, id: string, file: 'namecards.pdf' | 'seating.pdf' | 'seating.png') =>
  c.request<Blob>(`${one(id)}/${file}`, { raw: true })

/** The seat's key in a chart: area, section, row, number. */
export const seatKey = (s: { area: string; section?: number; row: number; number?: number; seat?: number }) =>
  `${s.area}:${s.section ?? 0}:${s.row}:${s.number ?? s.seat}`
