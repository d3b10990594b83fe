// A revision diff (GET /documents/{id}/revisions/diff) as the reader sees
// it. The server diffs the stored 正文, which is HTML, character by
// character: a run may begin or end inside a tag. We read the runs as one
// stream, drop the markup (a tag split across runs included), end a line
// where a block ends (</p>, <br>, </li>, </h1…6>, </div>), decode the few
// entities the sanitizer writes, and merge neighbouring runs of one kind.
// The result is text only: rendered with {{ }}, never v-html.

import type { DiffPart } from './api'

export type DiffKind = 'equal' | 'insert' | 'delete'
export interface DiffRun {
  kind: DiffKind
  text: string
}

const BLOCK_END = /^(\/(p|li|h[1-6]|div|blockquote|tr)|br\s*\/?)$/i
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' }
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)

export function diffRuns(parts: readonly DiffPart[]): DiffRun[] {
  const out: DiffRun[] = []
  const push = (kind: DiffKind, text: string) => {
    if (!text) return
    const prev = out[out.length - 1]
    if (prev && prev.kind === kind) prev.text += text
    else out.push({ kind, text })
  }
  // A tag is read across runs; it belongs to no run, but a block end it
  // closes becomes a line break in the run where the tag ends.
  let tag: string | null = null
  for (const p of parts) {
    const kind: DiffKind = p.op === 'insert' || p.op === 'delete' ? p.op : 'equal'
    let text = ''
    for (const ch of p.text) {
      if (tag !== null) {
        if (ch === '>') {
          if (BLOCK_END.test(tag.trim())) text += '\n'
          tag = null
        } else tag += ch
      } else if (ch === '<') tag = ''
      else text += ch
    }
    push(kind, decode(text))
  }
  return out
}

/** How many characters a diff inserts and deletes (its summary). */
export function diffCounts(runs: readonly DiffRun[]): { inserted: number; deleted: number } {
  let inserted = 0
  let deleted = 0
  for (const r of runs) {
    const n = [...r.text.replace(/\s/g, '')].length
    if (r.kind === 'insert') inserted += n
    if (r.kind === 'delete') deleted += n
  }
  return { inserted, deleted }
}
