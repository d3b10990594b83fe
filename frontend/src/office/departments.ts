// Department (处室) names for every office screen: the office's tree from
// GET /org/departments, loaded once; until then (or if it fails) the
// reader's own departments from /me, then the id itself.

import { reactive } from 'vue'
import { client, session } from '../auth/session'
import { listDepartments, type Department } from '../api/office'

const state = reactive({ list: [] as Department[] })
let loading: Promise<void> | null = null

export function loadDepartments(): Promise<void> {
  loading ??= listDepartments(client)
    .then((d) => {
      state.list = d
    })
    .catch(() => {
      loading = null
    })
  return loading
}

export const departmentList = (): Department[] =>
  state.list.length ? state.list : [...(session.state.me?.departments ?? [])]

export function deptName(id: string | undefined): string {
  if (!id) return ''
  return (
    state.list.find((d) => d.id === id)?.name ?? session.state.me?.departments.find((d) => d.id === id)?.name ?? id
  )
}
