// The flow editor's model: pure functions over a flow definition (the
// engine's JSON, officeapi/workflow), so that what the editor does to a
// definition is tested without a browser. The definition is the one source
// of truth; the canvas (Vue Flow) is drawn from it, with node positions
// kept beside it (the engine's definition has none).

import type { Assignment, Definition, FlowEdge, FlowNode, Limit } from './api'

export type Kind = 'start' | 'task' | 'choice' | 'split' | 'join' | 'end'
export const KINDS: Record<Kind, string> = {
  start: '开始',
  task: '办理',
  choice: '条件',
  split: '并行分支',
  join: '汇聚',
  end: '结束',
}

export type Mode = 'single' | 'all' | 'any' | 'sequential'
export const MODES: Record<Mode, string> = { single: '单人', all: '会签', any: '或签', sequential: '依次' }

/** The ways a task's assignees are given (exactly one). */
export type AssignWay = 'initiator' | 'users' | 'usersField' | 'role' | 'permission' | 'post'
export const ASSIGN_WAYS: Record<AssignWay, string> = {
  initiator: '发起人',
  users: '指定人员',
  usersField: '字段中的人员',
  role: '角色',
  permission: '权限',
  post: '岗位',
}

/** A role or permission is narrowed to a department, a department field, or neither (office-wide). */
export type Scope = 'office' | 'department' | 'departmentField'

export type LimitUnit = 'workdays' | 'calendarDays' | 'hours'
export const LIMIT_UNITS: Record<LimitUnit, string> = { workdays: '工作日', calendarDays: '自然日', hours: '工作小时' }

export const OPERATORS = ['==', '!=', '>', '>=', '<', '<=', 'in'] as const

/** A deep copy, so that an edit never changes what the server sent (or the undo state). */
export const clone = (d: Definition): Definition => JSON.parse(JSON.stringify(d)) as Definition

/** A new id for a node of kind: "task3", unique in the definition. */
export function newNodeId(def: Definition, kind: Kind): string {
  for (let n = 1; ; n++) {
    const id = `${kind}${n}`
    if (!def.nodes.some((x) => x.id === id)) return id
  }
}

/** Adds a node of kind and returns its id. A task starts assigned to its flow's initiator, mode 单人. */
export function addNode(def: Definition, kind: Kind, name = KINDS[kind]): string {
  const id = newNodeId(def, kind)
  const node: FlowNode = { id, kind, name }
  if (kind === 'task') node.assign = { initiator: true }
  def.nodes.push(node)
  return id
}

/** Removes a node and every edge to or from it. */
export function removeNode(def: Definition, id: string): void {
  def.nodes = def.nodes.filter((n) => n.id !== id)
  def.edges = def.edges.filter((e) => e.from !== id && e.to !== id)
}

/**
 * Adds an edge from → to, or says why not (in Chinese). An edge out of a
 * choice is its default when it has none yet, else it needs a condition.
 */
export function addEdge(def: Definition, from: string, to: string): string | null {
  const src = def.nodes.find((n) => n.id === from)
  if (!src || !def.nodes.some((n) => n.id === to)) return '连线须连接两个已有节点'
  if (from === to) return '连线不能指向自身'
  if (src.kind === 'end') return '结束节点不能有出线'
  if (def.edges.some((e) => e.from === from && e.to === to)) return '这两个节点之间已有连线'
  const edge: FlowEdge = { from, to }
  if (src.kind === 'choice') {
    if (def.edges.some((e) => e.from === from && e.default)) edge.when = { field: '', op: '==', value: '' }
    else edge.default = true
  }
  def.edges.push(edge)
  return null
}

export function removeEdge(def: Definition, index: number): void {
  def.edges.splice(index, 1)
}

/** Changes a node's kind: only a task keeps an assignment, a mode and limits. */
export function setKind(node: FlowNode, kind: Kind): void {
  node.kind = kind
  if (kind === 'task') {
    node.assign ??= { initiator: true }
    return
  }
  delete node.assign
  delete node.mode
  delete node.limit
  delete node.escalate
}

/** The way an assignment gives its assignees (initiator for none). */
export function assignWay(a: Assignment | undefined): AssignWay {
  if (!a) return 'initiator'
  if (a.users?.length) return 'users'
  if (a.usersField !== undefined) return 'usersField'
  if (a.role !== undefined) return 'role'
  if (a.permission !== undefined) return 'permission'
  if (a.post !== undefined) return 'post'
  return 'initiator'
}

/** The assignment's value in its way: a role key, a field name, users comma-separated. */
export function assignValue(a: Assignment | undefined): string {
  switch (assignWay(a)) {
    case 'users':
      return (a?.users ?? []).join(',')
    case 'usersField':
      return a?.usersField ?? ''
    case 'role':
      return a?.role ?? ''
    case 'permission':
      return a?.permission ?? ''
    case 'post':
      return a?.post ?? ''
    default:
      return ''
  }
}

export function scopeOf(a: Assignment | undefined): [Scope, string] {
  if (a?.departmentField !== undefined) return ['departmentField', a.departmentField]
  if (a?.department !== undefined) return ['department', a.department]
  return ['office', '']
}

/**
 * The assignment given one way, with value (users: comma-separated ids, in
 * order) and, for a role or a permission, the scope. Exactly one way is set,
 * as the engine requires.
 */
export function makeAssignment(way: AssignWay, value: string, scope: Scope = 'office', scopeValue = ''): Assignment {
  const v = value.trim()
  let a: Assignment
  switch (way) {
    case 'initiator':
      return { initiator: true }
    case 'users':
      return {
        users: v
          .split(/[,，\s]+/)
          .map((u) => u.trim())
          .filter(Boolean),
      }
    case 'usersField':
      return { usersField: v }
    case 'post':
      return { post: v }
    case 'role':
      a = { role: v }
      break
    case 'permission':
      a = { permission: v }
      break
  }
  if (scope === 'department') a.department = scopeValue.trim()
  if (scope === 'departmentField') a.departmentField = scopeValue.trim()
  return a
}

/** A limit's unit and amount, or null when there is none. */
export function limitOf(l: Limit | undefined): { unit: LimitUnit; value: number } | null {
  if (!l) return null
  for (const unit of ['workdays', 'calendarDays', 'hours'] as LimitUnit[]) {
    const v = l[unit]
    if (v) return { unit, value: v }
  }
  return null
}

/** Sets node's time limit (办理时限) or escalation limit (督办时限); 0 or less removes it. */
export function setLimit(node: FlowNode, which: 'limit' | 'escalate', unit: LimitUnit, value: number): void {
  if (!(value > 0)) {
    delete node[which]
    return
  }
  node[which] = { [unit]: Math.round(value) }
}

/** Where the server's validation put its messages: on the flow, a node (by id) or an edge (by index), by field. */
export interface Problems {
  flow: string[]
  nodes: Record<string, Record<string, string>>
  edges: Record<number, Record<string, string>>
}

/**
 * Spreads a problem's field errors ("nodes[3].assign", "edges[2].when",
 * "name") over the definition they were made for: a node's messages under
 * its id, by field ("" for the node as a whole).
 */
export function problemsOf(def: Definition, errors: readonly { field: string; message: string }[]): Problems {
  const out: Problems = { flow: [], nodes: {}, edges: {} }
  for (const e of errors) {
    const m = /^(nodes|edges)\[(\d+)\](?:\.(.+))?$/.exec(e.field)
    if (!m) {
      out.flow.push(e.field ? `${e.field}：${e.message}` : e.message)
      continue
    }
    const i = Number(m[2])
    const field = m[3] ?? ''
    if (m[1] === 'nodes') {
      const id = def.nodes[i]?.id
      if (id === undefined) {
        out.flow.push(e.message)
        continue
      }
      const at = (out.nodes[id] ??= {})
      at[field] ??= e.message
    } else {
      const at = (out.edges[i] ??= {})
      at[field] ??= e.message
    }
  }
  return out
}

export interface Point {
  x: number
  y: number
}

/** Columns per band of the canvas: a long flow wraps, as a page of text does. */
export const COLUMNS = 5
const COL_W = 190
const ROW_H = 90
const BAND_GAP = 70

/**
 * Positions for the canvas: each node in the column of its longest road
 * from the start (a node reached only by a loop goes after the others),
 * rows in definition order; every COLUMNS columns the flow wraps to a new
 * band below, so that a long flow stays legible at the canvas's width.
 * Positions already given are kept.
 */
export function layout(def: Definition, given: Record<string, Point> = {}): Record<string, Point> {
  const depth: Record<string, number> = {}
  const start = def.nodes.find((n) => n.kind === 'start')?.id
  if (start) {
    depth[start] = 0
    // Longest path on the graph without its back edges: relax in rounds,
    // at most as many as there are nodes (a loop stops growing then).
    for (let round = 0; round < def.nodes.length; round++) {
      let changed = false
      for (const e of def.edges) {
        const d = depth[e.from]
        if (d === undefined) continue
        if ((depth[e.to] ?? -1) < d + 1 && d + 1 < def.nodes.length) {
          depth[e.to] = d + 1
          changed = true
        }
      }
      if (!changed) break
    }
  }
  const maxDepth = Math.max(0, ...Object.values(depth))
  const colOf = (n: { id: string }) => depth[n.id] ?? maxDepth + 1
  // Rows per column, then each band as tall as its fullest column.
  const rows: Record<number, number> = {}
  const rowOf: Record<string, number> = {}
  for (const n of def.nodes) {
    const col = colOf(n)
    rowOf[n.id] = rows[col] ?? 0
    rows[col] = rowOf[n.id] + 1
  }
  const bandTop: number[] = [0]
  for (let band = 0; band * COLUMNS <= maxDepth + 1; band++) {
    let tallest = 1
    for (let c = band * COLUMNS; c < (band + 1) * COLUMNS; c++) tallest = Math.max(tallest, rows[c] ?? 0)
    bandTop[band + 1] = bandTop[band] + tallest * ROW_H + BAND_GAP
  }
  const out: Record<string, Point> = {}
  for (const n of def.nodes) {
    const col = colOf(n)
    const band = Math.floor(col / COLUMNS)
    out[n.id] = given[n.id] ?? { x: (col % COLUMNS) * COL_W, y: bandTop[band] + rowOf[n.id] * ROW_H }
  }
  return out
}

/** What the canvas shows of a node: its name, kind and mode. */
export function nodeLabel(n: FlowNode): string {
  const kind = KINDS[n.kind as Kind] ?? n.kind
  if (n.kind !== 'task') return n.name || kind
  const mode = MODES[(n.mode || 'single') as Mode]
  return `${n.name}（${mode}）`
}

/** What the canvas shows on an edge: its label, its condition, or 默认. */
export function edgeLabel(e: FlowEdge): string {
  if (e.label) return e.label
  if (e.default) return '默认'
  if (e.when) return `${e.when.field} ${e.when.op} ${e.when.value}`.trim()
  return ''
}

/**
 * The definition to send: the editor's working copy without what the engine
 * refuses or ignores (empty users, a limit of 0, an empty mode, an empty
 * label), its version left for the server to number.
 */
export function forSave(def: Definition): Definition {
  const d = clone(def)
  d.version = 0
  for (const n of d.nodes) {
    if (n.kind !== 'task') {
      delete n.assign
      delete n.mode
      delete n.limit
      delete n.escalate
      continue
    }
    if (!n.mode) delete n.mode
    if (n.assign?.users) n.assign.users = n.assign.users.filter(Boolean)
    for (const which of ['limit', 'escalate'] as const) if (!limitOf(n[which])) delete n[which]
  }
  for (const e of d.edges) {
    if (!e.label) delete e.label
    if (!e.default) delete e.default
  }
  return d
}
