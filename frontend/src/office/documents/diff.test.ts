import { describe, expect, it } from 'vitest'
import { diffCounts, diffRuns } from './diff'

describe('diffRuns', () => {
  it('marks insertions and deletions in order', () => {
    const runs = diffRuns([
      { op: 'equal', text: '请各市' },
      { op: 'delete', text: '于月底前' },
      { op: 'insert', text: '于 3 月 15 日前' },
      { op: 'equal', text: '报送。' },
    ])
    expect(runs).toEqual([
      { kind: 'equal', text: '请各市' },
      { kind: 'delete', text: '于月底前' },
      { kind: 'insert', text: '于 3 月 15 日前' },
      { kind: 'equal', text: '报送。' },
    ])
    expect(diffCounts(runs)).toEqual({ inserted: 7, deleted: 4 })
  })

  it('keeps the text as text: a "<" typed in the body is a character, not markup', () => {
    expect(diffRuns([{ op: 'insert', text: 'a <b> & c' }])).toEqual([{ kind: 'insert', text: 'a <b> & c' }])
  })

  it('merges neighbouring runs of a kind, drops empty ones, reads an unknown op as unchanged', () => {
    const runs = diffRuns([
      { op: 'insert', text: '甲' },
      { op: 'insert', text: '' },
      { op: 'insert', text: '乙' },
      { op: 'moved', text: '丙' },
      { op: 'equal', text: '丁' },
    ])
    expect(runs).toEqual([
      { kind: 'insert', text: '甲乙' },
      { kind: 'equal', text: '丙丁' },
    ])
  })
})
