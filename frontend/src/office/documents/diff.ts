// A revision diff (GET /documents/{id}/revisions/diff) as the reader sees
// it: the server diffs the 正文's plain text (richtext.PlainText, tags
// stripped) character by character and sends runs of equal, inserted and
// deleted text. Here each run gets its kind (an unknown op counts as
// equal), empty runs go and neighbouring runs of one kind merge. The text
// is text: a "<" in it is a character, rendered with {{ }}, never v-html.

import type { DiffPart } from './api'

export type DiffKind = 'equal' | 'insert' | 'delete'
export interface DiffRun {
  kind: DiffKind
  text: string
}

export function diffRuns(parts: readonly DiffPart[]): DiffRun[] {
  const out: DiffRun[] = []
  for (const p of parts) {
    if (!p.text) continue
    const kind: DiffKind = p.op === 'insert' || p.op === 'delete' ? p.op : 'equal'
    const prev = out[out.length - 1]
    if (prev && prev.kind === kind) prev.text += p.text
    else out.push({ kind, text: p.text })
  }
  return out
}

/** How many characters (not counting white space) a diff inserts and deletes: its summary. */
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
