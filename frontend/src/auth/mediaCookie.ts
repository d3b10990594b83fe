// Files (images in articles, attachments) are read by the browser itself —
// <img src>, <a href> — which cannot send the bearer token. The media API
// takes the token from a cookie instead, scoped to the media routes alone
// (Path=/api/portal/v1/media, HttpOnly, SameSite=Strict): after each login
// or refresh the SPA asks the server to set it to the current access
// token, and to clear it on logout. A classified file is then served to
// the reader whose token allows it, and to no one else.

export const MEDIA_SESSION = '/api/portal/v1/media/session'

/** Sets (token) or clears (null) the media cookie; failures only mean files need a reload. */
export async function syncMediaCookie(token: string | null, fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    await fetchFn(MEDIA_SESSION, {
      method: token ? 'POST' : 'DELETE',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
    })
  } catch {
    // Offline or refused: the next refresh sets it again.
  }
}
