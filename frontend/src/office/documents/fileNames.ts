// The names of a document's attachments: a document keeps media ids, and
// each file's description (GET /media/{id}/info, readable by whoever may
// download it) gives its name. Names are looked up once per id; a file
// the reader may not open keeps no name, and the list says 附件N.

import { reactive, watchEffect } from 'vue'
import type { ApiClient } from '../../api/client'
import { getMediaInfo } from '../../api/portal'

export function useFileNames(client: ApiClient, ids: () => readonly string[], known: Record<string, string> = {}) {
  const names = reactive<Record<string, string>>({ ...known })
  const asked = new Set(Object.keys(known))
  watchEffect(() => {
    for (const id of ids()) {
      if (asked.has(id)) continue
      asked.add(id)
      getMediaInfo(client, id)
        .then((m) => {
          if (m.name) names[id] = m.name
        })
        .catch(() => {}) // unreadable or gone: the list shows 附件N
    }
  })
  return names
}
