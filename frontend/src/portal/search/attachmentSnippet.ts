// An attachment's highlighted fragment says which file it comes from:
// 附件《细则.pdf》中：…<mark>湿地</mark>… The search API sends each
// attachment fragment with its file's name (hit.attachments); an older
// index without names gives only highlights.attachment, shown as it is.

import type { SearchHit } from '../../api/search'
import { escapeHtml, sanitizeMarks } from './highlight'

/** The hit's attachment fragments as safe HTML, each naming its file when known. */
export function attachmentSnippets(h: SearchHit): string[] {
  if (h.attachments?.length) {
    return h.attachments.map((a) => `附件《${escapeHtml(a.file)}》中：${sanitizeMarks(a.fragment)}`)
  }
  return (h.highlights?.attachment ?? []).map(sanitizeMarks)
}

/** 附件《name》中：plain text — for pages that render text segments, not HTML. */
export function attachmentLabel(file: string): string {
  return `附件《${file}》中：`
}
