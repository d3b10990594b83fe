// Uploading a 公文's attachment to the media store (POST
// /api/portal/v1/media, open to doc.draft holders) with progress: fetch
// reports none, so this one request goes through XMLHttpRequest, with the
// session's bearer token (kept fresh by the session's timer); a refusal
// comes back as the ApiError every other call raises.

import { ApiError, NetworkError } from '../../api/problem'
import { PORTAL_BASE } from '../../api/portal'
import type { components } from '../../api/schema/portal'

export type Media = components['schemas']['MediaResponse']

export function uploadWithProgress(file: File, token: string | undefined, onProgress: (percent: number) => void): Promise<Media> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${PORTAL_BASE}/media`)
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onerror = () => reject(new NetworkError())
    xhr.onload = () => {
      let body: unknown
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined
      } catch {
        body = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === 'object') {
        onProgress(100)
        resolve(body as Media)
        return
      }
      const problem = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
      reject(new ApiError({ ...problem, status: xhr.status }))
    }
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}
