// The organisation and the accounts the console's pages name: loaded on
// demand, shared between pages, reloaded after a change.

import { reactive } from 'vue'
import { client } from '../../auth/session'
import { listDepartments, type Department, type Post } from '../../api/office'
import { listPosts, listUsers, type AdminUser } from '../../api/admin'
import { byChineseName } from './labels'

export const org = reactive({
  departments: [] as Department[],
  posts: [] as Post[],
  users: [] as AdminUser[],
})

export async function loadOrg(): Promise<void> {
  const [d, p] = await Promise.all([listDepartments(client), listPosts(client)])
  org.departments = d
  org.posts = p
}

export async function loadUsers(): Promise<void> {
  org.users = byChineseName(await listUsers(client))
}

export const deptName = (id: string): string => org.departments.find((d) => d.id === id)?.name ?? id
export const postName = (id: string): string => org.posts.find((p) => p.id === id)?.name ?? id

/** The display name of a user id (or system, anonymous). */
export function userName(id: string): string {
  if (id === 'system') return '系统'
  if (id === 'anonymous') return '匿名'
  const u = org.users.find((x) => x.id === id)
  return u ? `${u.displayName}（${u.username}）` : id
}
