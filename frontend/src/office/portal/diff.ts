// Field-level diff between two editions: the API's answer normalised to a
// list of changed fields, and each text change rendered as inline segments
// (kept / removed / added) for display.

import { FIELD_LABELS } from './fields'

export interface FieldChange {
  field: string
  label: string
  from: string
  to: string
}

export type Segment = { op: 'eq' | 'del' | 'ins'; text: string }

/** Any field value as display text; HTML reduced to its text, arrays joined with 、. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return /<[a-z][^>]*>/i.test(v) ? htmlText(v) : v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return v.map(valueText).join('、')
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.name === 'string') return o.name
    if (typeof o.title === 'string') return o.title
    return Object.entries(o)
      .map(([k, x]) => `${FIELD_LABELS[k] ?? k}：${valueText(x)}`)
      .join('；')
  }
  return String(v)
}

/** Plain text of an HTML fragment: block ends become line breaks, tags go, entities decode. */
export function htmlText(html: string): string {
  return html
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|blockquote|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim()
}

const pick = (o: Record<string, unknown>, ...keys: string[]) => {
  for (const k of keys) if (k in o) return o[k]
  return undefined
}

/**
 * The diff answer as changes. Accepts a list of {field, from, to} (also
 * old/new, before/after), such a list under `changes`/`fields`/`diff`, or a
 * map field → {from, to}. Unchanged entries are dropped.
 */
export function normaliseDiff(raw: unknown): FieldChange[] {
  let list: Array<[string, unknown, unknown]> = []
  const entry = (o: Record<string, unknown>): [unknown, unknown] => [
    pick(o, 'from', 'old', 'before', 'a'),
    pick(o, 'to', 'new', 'after', 'b'),
  ]
  const fromList = (a: unknown[]) =>
    a
      .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
      .map((o) => [String(pick(o, 'field', 'path', 'name') ?? ''), ...entry(o)] as [string, unknown, unknown])
  if (Array.isArray(raw)) list = fromList(raw)
  else if (raw && typeof raw === 'object') {
    const o = raw as Record<string, unknown>
    const inner = pick(o, 'changes', 'fields', 'diff')
    if (Array.isArray(inner)) list = fromList(inner)
    else {
      const map = (inner && typeof inner === 'object' ? inner : o) as Record<string, unknown>
      list = Object.entries(map)
        .filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v))
        .map(([k, v]) => [k, ...entry(v as Record<string, unknown>)])
    }
  }
  return list
    .map(([field, a, b]) => {
      const key = field.replace(/^fields\./, '')
      const last = key.split('.').pop() ?? key
      return { field: key, label: FIELD_LABELS[last] ?? FIELD_LABELS[key] ?? key, from: valueText(a), to: valueText(b) }
    })
    .filter((c) => c.field && c.from !== c.to)
}

// Above this many cells the LCS table gets too big for the browser; fall back to whole-text replace.
const MAX_CELLS = 4_000_000

/** Inline diff of two texts by character (CJK text has no spaces to split on). */
export function diffText(a: string, b: string): Segment[] {
  const x = Array.from(a)
  const y = Array.from(b)
  // Common prefix and suffix first: edits are usually local.
  let pre = 0
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++
  let suf = 0
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++
  const xs = x.slice(pre, x.length - suf)
  const ys = y.slice(pre, y.length - suf)
  const mid: Segment[] = []
  if (xs.length * ys.length > MAX_CELLS) {
    if (xs.length) mid.push({ op: 'del', text: xs.join('') })
    if (ys.length) mid.push({ op: 'ins', text: ys.join('') })
  } else {
    const n = xs.length
    const m = ys.length
    const w = m + 1
    const t = new Uint32Array((n + 1) * w)
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        t[i * w + j] = xs[i] === ys[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1])
    let i = 0
    let j = 0
    const push = (op: Segment['op'], ch: string) => {
      const last = mid[mid.length - 1]
      if (last && last.op === op) last.text += ch
      else mid.push({ op, text: ch })
    }
    while (i < n && j < m) {
      if (xs[i] === ys[j]) {
        push('eq', xs[i])
        i++
        j++
      } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) push('del', xs[i++])
      else push('ins', ys[j++])
    }
    while (i < n) push('del', xs[i++])
    while (j < m) push('ins', ys[j++])
  }
  const out: Segment[] = []
  // Mostly rewritten text reads better as old → new than as confetti.
  const kept = pre + suf + mid.filter((s) => s.op === 'eq').reduce((n, s) => n + Array.from(s.text).length, 0)
  if (x.length && y.length && kept < 0.4 * Math.max(x.length, y.length)) {
    return [
      { op: 'del', text: a },
      { op: 'ins', text: b },
    ]
  }
  if (pre) out.push({ op: 'eq', text: x.slice(0, pre).join('') })
  for (const s of mid) {
    const last = out[out.length - 1]
    if (last && last.op === s.op) last.text += s.text
    else out.push(s)
  }
  if (suf) {
    const tail = x.slice(x.length - suf).join('')
    const last = out[out.length - 1]
    if (last && last.op === 'eq') last.text += tail
    else out.push({ op: 'eq', text: tail })
  }
  return out
}
