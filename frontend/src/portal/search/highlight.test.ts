import { describe, expect, it } from 'vitest'
import { decodeEntities, highlightSegments, plainText, sanitizeMarks } from './highlight'

describe('sanitizeMarks', () => {
  it('keeps bare <mark> tags around escaped text', () => {
    expect(sanitizeMarks('关于优化<mark>营商环境</mark>的意见')).toBe('关于优化<mark>营商环境</mark>的意见')
    expect(sanitizeMarks('…<mark>政务</mark>公开与<MARK>政务</MARK>服务…')).toBe('…<mark>政务</mark>公开与<mark>政务</mark>服务…')
  })

  it('escapes script tags and any other markup, inside marks too', () => {
    expect(sanitizeMarks('<script>alert(1)</script>营商')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;营商')
    expect(sanitizeMarks('<mark><img src=x onerror=alert(1)></mark>')).toBe(
      '<mark>&lt;img src=x onerror=alert(1)&gt;</mark>',
    )
    expect(sanitizeMarks('<b>粗</b><a href="javascript:alert(1)">链接</a>')).toBe(
      '&lt;b&gt;粗&lt;/b&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;链接&lt;/a&gt;',
    )
  })

  it('does not accept marks with attributes or odd spellings', () => {
    expect(sanitizeMarks('<mark onclick="x()">营商</mark>')).toBe('&lt;mark onclick=&quot;x()&quot;&gt;营商')
    expect(sanitizeMarks('<mark >a</mark >')).toBe('&lt;mark &gt;a&lt;/mark &gt;')
    expect(sanitizeMarks('<marker>a')).toBe('&lt;marker&gt;a')
  })

  it('flattens nested marks, ignores stray closing tags, closes an open mark', () => {
    expect(sanitizeMarks('<mark>政<mark>务</mark>公</mark>开')).toBe('<mark>政务公</mark>开')
    expect(sanitizeMarks('a</mark>b<mark>c')).toBe('ab<mark>c</mark>')
    expect(sanitizeMarks('<mark></mark>空')).toBe('空')
  })

  it('decodes the server\'s entities once and escapes them again (no double escaping, no revival)', () => {
    expect(sanitizeMarks('A &amp; B &lt;i&gt; &#39;x&#39; &#34;y&#34;')).toBe('A &amp; B &lt;i&gt; &#39;x&#39; &quot;y&quot;')
    // An escaped tag in the text stays text, even an escaped <mark>.
    expect(sanitizeMarks('&lt;mark&gt;假&lt;/mark&gt;')).toBe('&lt;mark&gt;假&lt;/mark&gt;')
    expect(sanitizeMarks('&lt;script&gt;')).toBe('&lt;script&gt;')
    // Double-escaped input decodes one level only.
    expect(sanitizeMarks('&amp;lt;')).toBe('&amp;lt;')
    // Unknown references stay literal (and their & is escaped).
    expect(sanitizeMarks('&copy; &bogus')).toBe('&amp;copy; &amp;bogus')
  })

  it('handles empty and missing input', () => {
    expect(sanitizeMarks('')).toBe('')
    expect(sanitizeMarks(undefined)).toBe('')
    expect(sanitizeMarks(null)).toBe('')
  })
})

describe('highlightSegments and friends', () => {
  it('splits a fragment into marked and plain text', () => {
    expect(highlightSegments('优化<mark>营商</mark>环境')).toEqual([
      { text: '优化', mark: false },
      { text: '营商', mark: true },
      { text: '环境', mark: false },
    ])
    expect(plainText('优化<mark>营商</mark>&amp;环境')).toBe('优化营商&环境')
  })

  it('decodes numeric references safely', () => {
    expect(decodeEntities('&#x4E2D;&#25991;')).toBe('中文')
    expect(decodeEntities('&#0;&#xD800;&#1114112;')).toBe('\ufffd\ufffd\ufffd')
  })
})
