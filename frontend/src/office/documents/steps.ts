// The flow chart's steps as a table (环节, 办理人, 办理, 时间, 意见, 用时,
// 超期): what the chart draws, readable without it (screen readers, print).

import type { FlowGraph, FlowNode } from './api'
import { readingOrder } from './layout'
import { actionLabel, duration } from './labels'

export const NODE_STATES = {
  done: { label: '已办理', colour: '#67c23a' },
  current: { label: '办理中', colour: '#409eff' },
  pending: { label: '未到达', colour: '#c0c4cc' },
  skipped: { label: '未经过', colour: '#e4e7ed' },
} as const

export type NodeState = keyof typeof NODE_STATES
export const nodeStateLabel = (s: string) => NODE_STATES[s as NodeState]?.label ?? s
export const OVERDUE_COLOUR = '#f56c6c'

export interface StepRow {
  node: string
  nodeName: string
  state: string
  /** A user id ('' when nobody has the node). */
  person: string
  /** 同意, 退回 …, 待办理 for an open task, the node's state otherwise. */
  action: string
  /** When they acted; for an open task, when it came. */
  at?: string
  due?: string
  opinion: string
  /** 用时 of the node's last round, on its last row. */
  taken: string
  overdue: boolean
  /** How late, in working days (an act, or an open task until now). */
  lateWorkdays?: number
  urged?: number
}

/** Only task nodes are steps: start, choices and the end are not handled by anyone. */
const isStep = (n: FlowNode) => n.kind === 'task'

/** The table's rows: every task node in reading order, a row per act and open task, one for a node nobody has reached. */
export function stepRows(g: FlowGraph): StepRow[] {
  const rows: StepRow[] = []
  for (const n of readingOrder(g).filter(isStep)) {
    const base = { node: n.id, nodeName: n.name, state: n.state, taken: '', opinion: '', overdue: false }
    const mine: StepRow[] = []
    for (const a of n.acts) {
      // The drafter's 起草 task is done by submitting the draft (officialdoc.Submit).
      const action = n.id === 'draft' && a.action === 'approve' ? '提交' : actionLabel(a.action)
      mine.push({ ...base, person: a.actor, action, at: a.at, opinion: a.opinion ?? '',
        overdue: !!a.overdue, lateWorkdays: a.lateWorkdays })
    }
    for (const h of n.holders ?? []) {
      mine.push({ ...base, person: h.assignee, action: '待办理', at: h.openedAt, due: h.due, overdue: !!h.overdue,
        lateWorkdays: h.lateWorkdays, urged: h.urged })
    }
    if (!mine.length) mine.push({ ...base, person: '', action: nodeStateLabel(n.state) })
    mine[mine.length - 1].taken = duration(n.takenSeconds)
    rows.push(...mine)
  }
  return rows
}
