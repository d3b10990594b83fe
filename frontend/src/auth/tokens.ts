// Tokens live in sessionStorage: they survive a page reload (and a deep-link
// refresh) but not closing the tab, and are never shared with other tabs.

import type { Session } from '../api/client'

const KEY = 'zhengwu.session'

export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const raw = storage.getItem(KEY)
    if (!raw) return null
    const s = JSON.parse(raw) as Partial<Session>
    if (typeof s.accessToken !== 'string' || typeof s.refreshToken !== 'string' || !s.user) return null
    return s as Session
  } catch {
    return null
  }
}

export function saveSession(s: Session, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(s))
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY)
}
