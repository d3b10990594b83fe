// Small helpers over the management API's document shapes.

import type { DocFields, DocumentDetail, Edition } from '../../api/manage'

/** A document's title: a listed document, or DocumentDetail.document. */
export function titleOf(d: { title?: string } | null | undefined): string {
  return d?.title ?? ''
}

/** The fields to edit: the working edition's, else the live edition's. */
export function editableFields(d: DocumentDetail): DocFields | undefined {
  return d.draft?.fields ?? d.published?.fields
}

/** The number of an edition. */
export function editionNo(e: Edition): number {
  return e.number
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
