// Office API resources (/api/office/v1) used by the desktop.

import type { ApiClient, AuthUser } from './client'

export const OFFICE_BASE = '/api/office/v1'

export interface Department {
  id: string
  name: string
  /** The node above in the organisation tree (none for the root). */
  parentId?: string
  order?: number
}

export interface Post {
  id: string
  name: string
  departmentId: string
}

/** GET /api/office/v1/me: who is logged in and what they may do. */
export interface Me {
  user: AuthUser
  departments: Department[]
  posts: Post[]
  roles: string[]
  permissions: string[]
  /** 非密 | 秘密 | 机密 */
  clearance: string
}

export function getMe(client: ApiClient, signal?: AbortSignal): Promise<Me> {
  return client.request<Me>(`${OFFICE_BASE}/me`, { signal })
}

/** GET /api/office/v1/org/departments: the office's departments (处室), in order. */
export async function listDepartments(client: ApiClient, signal?: AbortSignal): Promise<Department[]> {
  const res = await client.request<{ items?: Department[] } | Department[]>(`${OFFICE_BASE}/org/departments`, { signal })
  return Array.isArray(res) ? res : (res?.items ?? [])
}
