import { describe, expect, it } from 'vitest'
import { sentences } from './speech'

describe('sentences', () => {
  it('cuts at Chinese sentence ends and line breaks, merging short ones up to the limit', () => {
    expect(sentences('第一句。第二句！\n第三句？', 5)).toEqual(['第一句。', '第二句！', '第三句？'])
    expect(sentences('第一句。第二句！\n第三句？', 100)).toEqual(['第一句。第二句！第三句？'])
  })

  it('drops blank parts and squeezes spaces', () => {
    expect(sentences('  标题 \n\n   正文  内容。  ')).toEqual(['标题正文 内容。'])
    expect(sentences('   \n  ')).toEqual([])
  })

  it('keeps a sentence longer than the limit whole', () => {
    const long = '长'.repeat(200) + '。'
    expect(sentences(`短。${long}`, 50)).toEqual(['短。', long])
  })
})
