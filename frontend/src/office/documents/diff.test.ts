import { describe, expect, it } from 'vitest'
import { diffCounts, diffRuns } from './diff'

describe('diffRuns', () => {
  it('marks insertions and deletions as text, the markup dropped', () => {
    const runs = diffRuns([
      { op: 'equal', text: '<p>请各市' },
      { op: 'delete', text: '于月底前' },
      { op: 'insert', text: '于 3 月 15 日前' },
      { op: 'equal', text: '报送。</p>' },
    ])
    expect(runs).toEqual([
      { kind: 'equal', text: '请各市' },
      { kind: 'delete', text: '于月底前' },
      { kind: 'insert', text: '于 3 月 15 日前' },
      { kind: 'equal', text: '报送。\n' },
    ])
  })

  it('reads a tag split across runs as markup, not text', () => {
    const runs = diffRuns([
      { op: 'equal', text: '<p>一</p><' },
      { op: 'insert', text: 'p>二</p><' },
      { op: 'equal', text: 'p>三</p>' },
    ])
    expect(runs.map((r) => r.text).join('')).toBe('一\n二\n三\n')
    expect(runs.find((r) => r.kind === 'insert')?.text).toBe('二\n')
  })

  it('decodes entities, so "<" typed in the body shows as typed', () => {
    expect(diffRuns([{ op: 'insert', text: '<p>a &lt; b &amp; c</p>' }])).toEqual([{ kind: 'insert', text: 'a < b & c\n' }])
  })

  it('merges neighbouring runs of a kind and drops empty ones', () => {
    const runs = diffRuns([
      { op: 'insert', text: '甲' },
      { op: 'insert', text: '<b></b>' },
      { op: 'insert', text: '乙' },
    ])
    expect(runs).toEqual([{ kind: 'insert', text: '甲乙' }])
    expect(diffCounts(runs)).toEqual({ inserted: 2, deleted: 0 })
  })
})
