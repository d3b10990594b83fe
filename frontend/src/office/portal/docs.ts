// Small helpers over the management API's document shapes.

import type { DocFields, DocumentDetail, DocumentSummary, Edition } from '../../api/manage'

/** A document's title wherever the list or detail puts it. */
export function titleOf(d: DocumentSummary | null | undefined): string {
  if (!d) return ''
  if (typeof d.title === 'string' && d.title) return d.title
  const f = (d.fields ?? (d.draft as Edition | undefined)?.fields ?? (d.published as Edition | undefined)?.fields) as DocFields | undefined
  return typeof f?.title === 'string' ? f.title : ''
}

/** The fields to edit: the draft's, else the published edition's, else the document's own. */
export function editableFields(d: DocumentDetail): DocFields | undefined {
  const fromEdition = (e: Edition | null | undefined): DocFields | undefined => {
    if (!e) return undefined
    return (e.fields ?? (typeof e.title === 'string' ? (e as DocFields) : undefined)) as DocFields | undefined
  }
  return fromEdition(d.draft) ?? fromEdition(d.published) ?? d.document.fields
}

/** The number of an edition (the API may call it edition, number or n). */
export function editionNo(e: Edition): number {
  return Number(e.edition ?? e.number ?? e.n ?? 0)
}

export function stateTag(state: string): 'info' | 'warning' | 'success' | 'danger' | 'primary' {
  switch (state) {
    case 'draft':
      return 'info'
    case 'in_review':
    case 'scheduled':
      return 'warning'
    case 'published':
      return 'success'
    case 'withdrawn':
    case 'gone':
      return 'danger'
    default:
      return 'primary'
  }
}
