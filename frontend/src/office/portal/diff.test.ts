import { describe, expect, it } from 'vitest'
import { diffText, htmlText, normaliseDiff, valueText } from './diff'

const render = (segs: ReturnType<typeof diffText>) =>
  segs.map((s) => (s.op === 'eq' ? s.text : s.op === 'del' ? `[-${s.text}-]` : `{+${s.text}+}`)).join('')

describe('diffText', () => {
  it('marks a changed word inside Chinese text', () => {
    expect(render(diffText('关于做好政务公开工作的通知', '关于做好政务服务工作的通知'))).toBe(
      '关于做好政务[-公开-]{+服务+}工作的通知',
    )
  })
  it('handles insertions, deletions and empty sides', () => {
    expect(render(diffText('', '新增'))).toBe('{+新增+}')
    expect(render(diffText('删除', ''))).toBe('[-删除-]')
    expect(render(diffText('abc', 'abc'))).toBe('abc')
    expect(render(diffText('第12号', '第123号'))).toBe('第12{+3+}号')
  })
  it('shows a rewrite as old → new rather than scattered characters', () => {
    expect(render(diffText('关于印发某旧办法的通知', '另一人修改的标题'))).toBe('[-关于印发某旧办法的通知-]{+另一人修改的标题+}')
  })

  it('reassembles both texts from the segments', () => {
    const a = '省人民政府办公厅关于印发实施方案的通知'
    const b = '省政府办公厅关于印发工作实施方案的紧急通知'
    const segs = diffText(a, b)
    expect(segs.filter((s) => s.op !== 'ins').map((s) => s.text).join('')).toBe(a)
    expect(segs.filter((s) => s.op !== 'del').map((s) => s.text).join('')).toBe(b)
  })
})

describe('normaliseDiff', () => {
  it('accepts a list of changes with Chinese labels, dropping unchanged ones', () => {
    expect(
      normaliseDiff({
        changes: [
          { field: 'fields.title', from: '旧标题', to: '新标题' },
          { field: 'docNumber', old: '皖政〔2026〕1号', new: '皖政〔2026〕2号' },
          { field: 'genre', from: '通知', to: '通知' },
        ],
      }),
    ).toEqual([
      { field: 'title', label: '标题', from: '旧标题', to: '新标题' },
      { field: 'docNumber', label: '文号', from: '皖政〔2026〕1号', to: '皖政〔2026〕2号' },
    ])
  })
  it('accepts a map of field → {from, to} and a bare array', () => {
    expect(normaliseDiff({ fields: { issuers: { before: ['甲'], after: ['甲', '乙'] } } })).toEqual([
      { field: 'issuers', label: '发文机关', from: '甲', to: '甲、乙' },
    ])
    expect(normaliseDiff([{ field: 'body', from: '<p>一</p>', to: '<p>二</p>' }])).toEqual([
      { field: 'body', label: '正文', from: '一', to: '二' },
    ])
    expect(normaliseDiff(null)).toEqual([])
  })
})

describe('text of values', () => {
  it('reduces HTML and objects to text', () => {
    expect(htmlText('<p>第一段&nbsp;</p><p>A &amp; B<br>C</p>')).toBe('第一段 \nA & B\nC')
    expect(valueText([{ name: '附件.pdf' }])).toBe('附件.pdf')
    expect(valueText({ amends: ['x'] })).toBe('修改的文件：x')
  })
})
