import { describe, expect, it } from 'vitest'
import { attachmentSnippets } from './attachmentSnippet'

describe('attachmentSnippets', () => {
  it('names the file each fragment comes from, escaping the name', () => {
    const h = {
      id: 'a', title: 't', highlights: { attachment: ['…<mark>湿地</mark>保护'] },
      attachments: [{ file: '细则<b>.pdf', fragment: '…<mark>湿地</mark>保护<img src=x>' }],
    }
    expect(attachmentSnippets(h)).toEqual(['附件《细则&lt;b&gt;.pdf》中：…<mark>湿地</mark>保护&lt;img src=x&gt;'])
  })
  it('shows unnamed fragments as they are', () => {
    expect(attachmentSnippets({ id: 'a', title: 't', highlights: { attachment: ['<mark>x</mark>'] } })).toEqual(['<mark>x</mark>'])
    expect(attachmentSnippets({ id: 'a', title: 't', highlights: {} })).toEqual([])
  })
})
