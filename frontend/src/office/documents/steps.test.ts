import { describe, expect, it } from 'vitest'
import type { FlowGraph } from './api'
import { duration } from './labels'
import { stepRows } from './steps'

const at = '2026-03-02T01:00:00Z'
const g: FlowGraph = {
  state: 'running',
  nodes: [
    { id: 'end', name: '办结', kind: 'end', state: 'pending', acts: [], overdue: false },
    { id: 'start', name: '开始', kind: 'start', state: 'done', acts: [], overdue: false },
    { id: 'sign', name: '签发', kind: 'task', state: 'current', acts: [], overdue: true, takenSeconds: 90000,
      holders: [{ task: 't3', assignee: 'director', openedAt: at, due: at, overdue: true, lateWorkdays: 2, urged: 1 }] },
    { id: 'review', name: '审核', kind: 'task', state: 'done', overdue: false, takenSeconds: 3700,
      acts: [{ actor: 'chuzhang', action: 'return', at, opinion: '请修改' }, { actor: 'chuzhang', action: 'approve', at, opinion: '同意' }] },
    { id: 'cosign', name: '会签', kind: 'task', state: 'skipped', acts: [], overdue: false },
  ],
  edges: [
    { from: 'start', to: 'review', taken: true },
    { from: 'review', to: 'cosign', taken: false },
    { from: 'review', to: 'sign', taken: true },
    { from: 'cosign', to: 'sign', taken: false },
    { from: 'sign', to: 'end', taken: false },
  ],
}

describe('the flow’s steps table', () => {
  it('lists the task nodes in flow order: a row per act and open task, one for a node nobody reached', () => {
    const rows = stepRows(g)
    expect(rows.map((r) => [r.nodeName, r.person, r.action])).toEqual([
      ['审核', 'chuzhang', '退回'],
      ['审核', 'chuzhang', '同意'],
      ['会签', '', '未经过'],
      ['签发', 'director', '待办理'],
    ])
  })

  it('puts the node’s time taken on its last row and marks an overdue open task', () => {
    const rows = stepRows(g)
    expect(rows[0].taken).toBe('')
    expect(rows[1]).toMatchObject({ taken: '1小时1分', opinion: '同意', overdue: false })
    expect(rows[3]).toMatchObject({ taken: '1天1小时', overdue: true, lateWorkdays: 2, urged: 1, due: at })
  })

  it('says how long in days, hours and minutes', () => {
    expect(duration(undefined)).toBe('')
    expect(duration(30)).toBe('不足1分钟')
    expect(duration(8 * 60)).toBe('8分钟')
    expect(duration(2 * 86400)).toBe('2天')
  })
})
