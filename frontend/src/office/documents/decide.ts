// 批办 (the approve at node decide of a 收文): the leader's choice of the
// 承办 — a lead department, assisting ones, a deadline — and the 传阅
// readers, as the form holds it and as the action sends it.

import type { TaskAction } from './api'

export interface DecideForm {
  leadDepartment: string
  assistDepartments: string[]
  /** YYYY-MM-DD or ''. */
  deadline: string
  /** User ids. */
  readers: string[]
}

export const newDecide = (): DecideForm => ({ leadDepartment: '', assistDepartments: [], deadline: '', readers: [] })

/** The approve action carrying the choice: the lead department not among its assistants, no duplicates, no empty fields. */
export function decideAction(f: DecideForm, opinion: string): TaskAction {
  const uniq = (l: readonly string[]) => [...new Set(l.map((s) => s.trim()).filter(Boolean))]
  const body: TaskAction = { action: 'approve', opinion: opinion.trim() }
  if (f.leadDepartment) body.leadDepartment = f.leadDepartment
  const assist = uniq(f.assistDepartments).filter((d) => d !== f.leadDepartment)
  if (assist.length) body.assistDepartments = assist
  if (f.deadline) body.deadline = f.deadline
  const readers = uniq(f.readers)
  if (readers.length) body.readers = readers
  return body
}

/** What the form checks before sending (the server checks again and names its fields the same). */
export function decideProblems(f: DecideForm, today: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!f.leadDepartment) out.leadDepartment = '请选择主办处室'
  if (f.deadline && f.deadline < today) out.deadline = '办理时限不能早于今天'
  if (!f.readers.length) out.readers = '请选择传阅人员'
  return out
}
