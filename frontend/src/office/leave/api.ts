// Leave requests (/api/office/v1/leave), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type LeaveRequest = components['schemas']['LeaveRequest']
type LeavePage = components['schemas']['LeaveRequestPage']
/** A request as a write returns it: with the feed sequence to read the write back (consistentWith). */
export type LeaveView = components['schemas']['LeaveRequestView']
export type LeaveInput = operations['postLeaveRequests']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/leave`

export const KINDS: LeaveInput['kind'][] = ['事假', '病假', '年休假', '婚假', '产假', '丧假', '探亲假']
export const STATES: Record<string, [label: string, tag: 'warning' | 'success' | 'danger' | 'info']> = {
  pending: ['待审批', 'warning'],
  approved: ['已批准', 'success'],
  refused: ['未批准', 'danger'],
  withdrawn: ['已撤回', 'info'],
}

export const applyLeave = (c: ApiClient, body: LeaveInput) => c.request<LeaveView>(`${BASE}/requests`, { body })
export const listLeave = (c: ApiClient, box: 'requests' | 'approvals', consistentWith?: number) =>
  c.request<LeavePage>(`${BASE}/${box}?size=100` + (consistentWith ? `&consistentWith=${consistentWith}` : ''))
export const leaveStep = (c: ApiClient, id: string, step: 'approve' | 'refuse' | 'withdraw', comment = '') =>
  c.request<LeaveView>(`${BASE}/requests/${encodeURIComponent(id)}/${step}`, { body: step === 'withdraw' ? {} : { comment } })
