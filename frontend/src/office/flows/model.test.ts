import { describe, expect, it } from 'vitest'
import type { Definition } from './api'
import {
  addEdge,
  addNode,
  assignValue,
  assignWay,
  clone,
  edgeLabel,
  forSave,
  layout,
  limitOf,
  makeAssignment,
  nodeLabel,
  problemsOf,
  removeNode,
  scopeOf,
  setKind,
  setLimit,
} from './model'

// start → draft → route (choice) → review | end
const flow = (): Definition => ({
  key: 'test',
  version: 3,
  name: '测试',
  nodes: [
    { id: 'start', kind: 'start', name: '开始' },
    { id: 'draft', kind: 'task', name: '起草', assign: { initiator: true } },
    { id: 'route', kind: 'choice', name: '是否审核' },
    { id: 'review', kind: 'task', name: '审核', mode: 'any', assign: { role: 'dept_head', departmentField: 'department' } },
    { id: 'end', kind: 'end', name: '结束' },
  ],
  edges: [
    { from: 'start', to: 'draft' },
    { from: 'draft', to: 'route' },
    { from: 'route', to: 'review', when: { field: 'urgency', op: '==', value: '特急' }, label: '特急' },
    { from: 'route', to: 'end', default: true },
    { from: 'review', to: 'end' },
  ],
})

describe('editing nodes and edges', () => {
  it('adds a node with a fresh id; a task starts with an assignment', () => {
    const d = flow()
    const id = addNode(d, 'task')
    expect(id).toBe('task1')
    expect(addNode(d, 'task')).toBe('task2')
    expect(d.nodes.find((n) => n.id === id)).toEqual({ id, kind: 'task', name: '办理', assign: { initiator: true } })
    expect(addNode(d, 'split', '分送')).toBe('split1')
  })

  it('removes a node with its edges', () => {
    const d = flow()
    removeNode(d, 'route')
    expect(d.nodes.map((n) => n.id)).toEqual(['start', 'draft', 'review', 'end'])
    expect(d.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['start>draft', 'review>end'])
  })

  it('refuses an edge to itself, a duplicate, one out of an end', () => {
    const d = flow()
    expect(addEdge(d, 'draft', 'draft')).toMatch('自身')
    expect(addEdge(d, 'start', 'draft')).toMatch('已有连线')
    expect(addEdge(d, 'end', 'draft')).toMatch('结束节点')
    expect(addEdge(d, 'draft', 'nowhere')).toMatch('已有节点')
    expect(d.edges).toHaveLength(5)
  })

  it('gives a choice its default edge first, then edges needing a condition', () => {
    const d = flow()
    d.edges = d.edges.filter((e) => e.from !== 'route')
    expect(addEdge(d, 'route', 'review')).toBeNull()
    expect(addEdge(d, 'route', 'end')).toBeNull()
    expect(d.edges.filter((e) => e.from === 'route')).toEqual([
      { from: 'route', to: 'review', default: true },
      { from: 'route', to: 'end', when: { field: '', op: '==', value: '' } },
    ])
  })

  it('drops a task’s assignment, mode and limits when its kind changes', () => {
    const n = flow().nodes[3]
    setLimit(n, 'limit', 'workdays', 2)
    setKind(n, 'join')
    expect(n).toEqual({ id: 'review', kind: 'join', name: '审核' })
    setKind(n, 'task')
    expect(n.assign).toEqual({ initiator: true })
  })
})

describe('assignments', () => {
  it.each([
    ['initiator', '', 'office', '', { initiator: true }],
    ['users', 'u1, u2，u3 ', 'office', '', { users: ['u1', 'u2', 'u3'] }],
    ['usersField', 'readers', 'office', '', { usersField: 'readers' }],
    ['role', 'dept_head', 'departmentField', 'department', { role: 'dept_head', departmentField: 'department' }],
    ['permission', 'doc.register', 'department', 'zonghe', { permission: 'doc.register', department: 'zonghe' }],
    ['post', 'print_room', 'department', 'ignored', { post: 'print_room' }],
  ] as const)('%s is given one way', (way, value, scope, scopeValue, want) => {
    const a = makeAssignment(way, value, scope, scopeValue)
    expect(a).toEqual(want)
    expect(assignWay(a)).toBe(way)
    if (way !== 'initiator') expect(assignValue(a)).toBe(way === 'users' ? 'u1,u2,u3' : value.trim())
  })

  it('reads the scope of a role', () => {
    expect(scopeOf(flow().nodes[3].assign)).toEqual(['departmentField', 'department'])
    expect(scopeOf({ role: 'leader' })).toEqual(['office', ''])
  })
})

describe('limits', () => {
  it('sets one unit, and removes the limit at 0', () => {
    const n = flow().nodes[1]
    setLimit(n, 'limit', 'hours', 8)
    expect(n.limit).toEqual({ hours: 8 })
    expect(limitOf(n.limit)).toEqual({ unit: 'hours', value: 8 })
    setLimit(n, 'limit', 'workdays', 3)
    expect(n.limit).toEqual({ workdays: 3 })
    setLimit(n, 'limit', 'workdays', 0)
    expect(n.limit).toBeUndefined()
    expect(limitOf(undefined)).toBeNull()
  })
})

describe('the server’s validation', () => {
  it('puts each field error on its node or edge', () => {
    const p = problemsOf(flow(), [
      { field: 'nodes[3].assign', message: '办理节点须指定办理人' },
      { field: 'nodes[3].assign', message: '第二条' },
      { field: 'nodes[2]', message: '条件节点须有至少两条出线' },
      { field: 'edges[2].when', message: '条件须给出比较值' },
      { field: 'name', message: '名称不能为空' },
      { field: 'nodes[40].id', message: '越界' },
    ])
    expect(p.nodes).toEqual({ review: { assign: '办理节点须指定办理人' }, route: { '': '条件节点须有至少两条出线' } })
    expect(p.edges).toEqual({ 2: { when: '条件须给出比较值' } })
    expect(p.flow).toEqual(['name：名称不能为空', '越界'])
  })
})

describe('drawing', () => {
  it('lays nodes out by their longest road from the start, keeping given positions', () => {
    const pos = layout(flow(), { draft: { x: 5, y: 5 } })
    expect(pos.start).toEqual({ x: 0, y: 0 })
    expect(pos.draft).toEqual({ x: 5, y: 5 })
    expect(pos.review.x).toBe(3 * 190)
    expect(pos.end.x).toBe(4 * 190) // after review, not beside route
  })

  it('wraps a long flow into bands of five columns', () => {
    const d = flow()
    for (let i = 1; i <= 4; i++) {
      d.nodes.push({ id: `t${i}`, kind: 'task', name: `步骤${i}`, assign: { initiator: true } })
      d.edges.push({ from: i === 1 ? 'review' : `t${i - 1}`, to: `t${i}` })
    }
    d.edges = d.edges.filter((e) => !(e.from === 'review' && e.to === 'end') && !(e.from === 'route' && e.to === 'end'))
    d.edges.push({ from: 't4', to: 'end' }, { from: 'route', to: 't2', default: true })
    const pos = layout(d)
    expect(pos.t1).toEqual({ x: 4 * 190, y: 0 })
    expect(pos.t2).toEqual({ x: 0, y: 160 }) // column 5: the second band's first
    expect(pos.end).toEqual({ x: 3 * 190, y: 160 })
  })

  it('stops on a loop and places unreachable nodes last', () => {
    const d = flow()
    d.edges.push({ from: 'review', to: 'draft' })
    d.nodes.push({ id: 'lost', kind: 'task', name: '孤立', assign: { initiator: true } })
    const pos = layout(d)
    expect(Object.keys(pos)).toHaveLength(6)
    expect(new Set(Object.values(pos).map((p) => `${p.x},${p.y}`)).size).toBe(6) // no two on one spot
  })

  it('labels nodes with their mode and edges with their condition', () => {
    const d = flow()
    expect(nodeLabel(d.nodes[3])).toBe('审核（或签）')
    expect(nodeLabel(d.nodes[1])).toBe('起草（单人）')
    expect(nodeLabel(d.nodes[2])).toBe('是否审核')
    expect(edgeLabel(d.edges[2])).toBe('特急')
    expect(edgeLabel(d.edges[3])).toBe('默认')
    expect(edgeLabel({ from: 'a', to: 'b', when: { field: 'x', op: 'in', value: '1,2' } })).toBe('x in 1,2')
  })
})

describe('saving', () => {
  it('sends what the engine takes, never changing the working copy', () => {
    const d = flow()
    d.nodes[1].mode = ''
    d.nodes[1].limit = { workdays: 0 }
    d.nodes[3].assign = { users: ['u1', ''] }
    d.nodes[2].limit = { workdays: 2 }
    d.edges[0].label = ''
    const before = clone(d)
    const out = forSave(d)
    expect(d).toEqual(before)
    expect(out.version).toBe(0)
    expect(out.nodes[1]).toEqual({ id: 'draft', kind: 'task', name: '起草', assign: { initiator: true } })
    expect(out.nodes[3].assign).toEqual({ users: ['u1'] })
    expect(out.nodes[2]).toEqual({ id: 'route', kind: 'choice', name: '是否审核' })
    expect(out.edges[0]).toEqual({ from: 'start', to: 'draft' })
  })
})
