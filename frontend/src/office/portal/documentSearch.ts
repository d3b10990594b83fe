// Finding other documents to point at (a redirect's target, the policies a
// policy amends or repeals): by title or 文号, as select options.

import { ref } from 'vue'
import { client } from '../../auth/session'
import { listDocuments } from '../../api/manage'
import { titleOf } from './docs'

/** A found document as a select option: its id, shown as "标题（文号）". */
export interface DocumentOption {
  value: string
  label: string
}

export function useDocumentSearch() {
  const searching = ref(false)

  /** The first 20 documents matching q under filter (say state=published), but not the document except. */
  async function find(filter: Record<string, string>, q: string, except: string): Promise<DocumentOption[]> {
    searching.value = true
    try {
      const res = await listDocuments(client, new URLSearchParams({ ...filter, q: q.trim(), size: '20' }).toString())
      return (res.items ?? [])
        .filter((d) => d.id !== except)
        .map((d) => ({ value: d.id, label: `${titleOf(d) || d.id}${d.docNumber ? `（${d.docNumber}）` : ''}` }))
    } finally {
      searching.value = false
    }
  }

  return { searching, find }
}
