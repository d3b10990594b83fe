// The officers' console (三员管理): users, the organisation, grants and
// clearances, the password policy, requests to change an officer's account,
// and the audit trail (/api/office/v1, see the office API's openapi.json).

import type { ApiClient } from './client'
import { OFFICE_BASE, type Department, type Post } from './office'

/** An account as the officers' lists show it. */
export interface AdminUser {
  id: string
  username: string
  displayName: string
  clearance: string
  departmentIds: string[]
  postIds: string[]
  disabled: boolean
  /** Set while failed logins keep the account locked. */
  lockedUntil?: string
  /** Set while the user must change the password: first_login or reset. */
  passwordChange?: string
  roles: string[]
  /** The officer role held: such an account changes only through a request. */
  officer?: string
}

export interface NewUser {
  username: string
  displayName: string
  password: string
  departmentIds: string[]
  postIds: string[]
}

export interface UserChange {
  displayName?: string
  departmentIds?: string[]
  postIds?: string[]
  disabled?: boolean
  unlock?: boolean
}

export interface Role {
  key: string
  name: string
  permissions: string[]
  officer: boolean
}

export interface Grant {
  id: string
  role: string
  departmentId: string
  grantedBy: string
  grantedAt: string
}

export type OfficerChangeKind =
  | 'password_reset'
  | 'disable'
  | 'enable'
  | 'unlock'
  | 'display_name'
  | 'clearance'
  | 'revoke_grant'

export interface OfficerChange {
  id: string
  userId: string
  username: string
  kind: OfficerChangeKind
  displayName?: string
  clearance?: string
  grantId?: string
  reason: string
  state: 'requested' | 'approved' | 'refused' | 'expired' | 'failed'
  requestedBy: string
  requestedByRole: string
  requestedAt: string
  expiresAt: string
  decidedBy?: string
  decidedAt?: string
  note?: string
}

export interface OfficerChangeRequest {
  userId: string
  kind: OfficerChangeKind
  reason: string
  displayName?: string
  clearance?: string
  grantId?: string
}

export interface Decision {
  change: OfficerChange
  /** The one-time password of an approved reset: shown once. */
  temporaryPassword?: string
}

export interface PasswordPolicy {
  minLength: number
  maxLength: number
  minClasses: number
  maxAgeDays: number
  history: number
  lockoutAttempts: number
  lockoutWindowMinutes: number
  lockoutDurationMinutes: number
  sessionIdleMinutes: number
  sessionMaxMinutes: number
  changeAfterReset: boolean
  changeAtFirstLogin: boolean
  refusesCommon: boolean
}

export interface AuditEntry {
  seq: number
  at: string
  actor: string
  actorIp?: string
  action: string
  target?: string
  outcome: 'success' | 'failure'
  reason?: string
  details?: Record<string, unknown>
  prevHash: string
  hash: string
}

export interface AuditFilter {
  actor?: string
  action?: string
  target?: string
  outcome?: '' | 'success' | 'failure'
  /** RFC 3339 */
  from?: string
  /** RFC 3339, exclusive */
  to?: string
}

export interface AuditPage {
  items: AuditEntry[]
  /** Pass as after to go on; absent at the end. */
  next?: number
}

export interface AuditReport {
  ok: boolean
  entries: number
  brokenAt?: number
  problem?: string
}

const items = <T>(r: { items?: T[] } | undefined): T[] => r?.items ?? []
const enc = encodeURIComponent

export const listUsers = async (c: ApiClient, signal?: AbortSignal) =>
  items(await c.request<{ items: AdminUser[] }>(`${OFFICE_BASE}/users`, { signal }))

export const createUser = (c: ApiClient, u: NewUser) => c.request<AdminUser>(`${OFFICE_BASE}/users`, { body: u })

export const updateUser = (c: ApiClient, id: string, ch: UserChange) =>
  c.request<AdminUser>(`${OFFICE_BASE}/users/${enc(id)}`, { method: 'PATCH', body: ch })

export const resetPassword = (c: ApiClient, id: string, password: string) =>
  c.request<void>(`${OFFICE_BASE}/users/${enc(id)}/password`, { body: { password } })

export const setClearance = (c: ApiClient, id: string, clearance: string) =>
  c.request<AdminUser>(`${OFFICE_BASE}/users/${enc(id)}/clearance`, { method: 'PUT', body: { clearance } })

export const listRoles = async (c: ApiClient) => items(await c.request<{ items: Role[] }>(`${OFFICE_BASE}/roles`))

export const listGrants = async (c: ApiClient, userId: string) =>
  items(await c.request<{ items: Grant[] }>(`${OFFICE_BASE}/users/${enc(userId)}/grants`))

export const grantRole = (c: ApiClient, userId: string, role: string, departmentId: string) =>
  c.request<Grant>(`${OFFICE_BASE}/users/${enc(userId)}/grants`, { body: { role, departmentId } })

export const revokeGrant = (c: ApiClient, userId: string, grantId: string) =>
  c.request<void>(`${OFFICE_BASE}/users/${enc(userId)}/grants/${enc(grantId)}`, { method: 'DELETE' })

export const listPosts = async (c: ApiClient) => items(await c.request<{ items: Post[] }>(`${OFFICE_BASE}/org/posts`))

export const createDepartment = (c: ApiClient, d: { id: string; name: string; parentId?: string; order?: number }) =>
  c.request<Department>(`${OFFICE_BASE}/org/departments`, { body: d })

export const renameDepartment = (c: ApiClient, id: string, name: string) =>
  c.request<Department>(`${OFFICE_BASE}/org/departments/${enc(id)}`, { method: 'PATCH', body: { name } })

export const createPost = (c: ApiClient, p: Post) => c.request<Post>(`${OFFICE_BASE}/org/posts`, { body: p })

export const renamePost = (c: ApiClient, id: string, name: string) =>
  c.request<Post>(`${OFFICE_BASE}/org/posts/${enc(id)}`, { method: 'PATCH', body: { name } })

export const getPasswordPolicy = (c: ApiClient) => c.request<PasswordPolicy>(`${OFFICE_BASE}/password-policy`)

export const listOfficerChanges = async (c: ApiClient, state = '') =>
  items(await c.request<{ items: OfficerChange[] }>(`${OFFICE_BASE}/officer-changes${state ? `?state=${enc(state)}` : ''}`))

export const requestOfficerChange = (c: ApiClient, r: OfficerChangeRequest) =>
  c.request<OfficerChange>(`${OFFICE_BASE}/officer-changes`, { body: r })

export const approveOfficerChange = (c: ApiClient, id: string, note = '') =>
  c.request<Decision>(`${OFFICE_BASE}/officer-changes/${enc(id)}/approve`, { body: { note } })

export const refuseOfficerChange = (c: ApiClient, id: string, note = '') =>
  c.request<Decision>(`${OFFICE_BASE}/officer-changes/${enc(id)}/refuse`, { body: { note } })

/** The query string of an audit filter (empty fields left out). */
export function auditQuery(f: AuditFilter, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...f, ...extra })) {
    if (v !== undefined && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

export const listAudit = (c: ApiClient, f: AuditFilter, after = 0, size = 50) =>
  c.request<AuditPage>(`${OFFICE_BASE}/audit${auditQuery(f, { after: after || undefined, size })}`)

export const verifyAudit = (c: ApiClient) => c.request<AuditReport>(`${OFFICE_BASE}/audit/verify`)

/**
 * The filtered trail as CSV (with a byte-order mark, for Excel). The download
 * needs the bearer token, so it is fetched and handed to the browser as a blob.
 */
export async function exportAudit(c: ApiClient, f: AuditFilter): Promise<Blob> {
  return c.request<Blob>(`${OFFICE_BASE}/audit/export${auditQuery(f)}`, { raw: true })
}
