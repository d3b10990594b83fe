// Highlight fragments from the search API are HTML-escaped text with the
// matches wrapped in <mark>…</mark>. We do not trust that: the fragment is
// split on the exact tags <mark> and </mark> (no attributes), every other
// piece is treated as text (its character references decoded, then escaped
// again), and only bare <mark> tags are written back. Nothing else the server
// sends can become markup.

export interface Segment {
  text: string
  mark: boolean
}

const TAG = /<(\/?)mark>/gi

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/** Decodes the character references an HTML escaper writes (&amp; &lt; &#39; &#x27; …); others stay as they are. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      // No NUL, surrogates or out-of-range code points.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd'
      return String.fromCodePoint(code)
    }
    return NAMED[ref] ?? whole
  })
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * The fragment as text segments, marked or not. Nested marks count as one
 * (a stray </mark> is ignored, an unclosed <mark> ends with the fragment);
 * adjacent segments of the same kind are merged and empty ones dropped.
 */
export function highlightSegments(fragment: string | null | undefined): Segment[] {
  const out: Segment[] = []
  if (!fragment) return out
  let depth = 0
  let last = 0
  const push = (raw: string) => {
    const text = decodeEntities(raw)
    if (!text) return
    const mark = depth > 0
    const prev = out[out.length - 1]
    if (prev && prev.mark === mark) prev.text += text
    else out.push({ text, mark })
  }
  for (const m of fragment.matchAll(TAG)) {
    push(fragment.slice(last, m.index))
    last = m.index + m[0].length
    if (m[1]) depth = Math.max(0, depth - 1)
    else depth++
  }
  push(fragment.slice(last))
  return out
}

/** Safe HTML for v-html: escaped text, with only bare <mark> elements. */
export function sanitizeMarks(fragment: string | null | undefined): string {
  return highlightSegments(fragment)
    .map((s) => (s.mark ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text)))
    .join('')
}

/** The fragment's plain text (no marks), e.g. for a title attribute. */
export function plainText(fragment: string | null | undefined): string {
  return highlightSegments(fragment)
    .map((s) => s.text)
    .join('')
}
