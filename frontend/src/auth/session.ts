// The one logged-in session of this tab: tokens, the current user, and the
// timer that refreshes the access token before it expires.

import { reactive, readonly } from 'vue'
import { createApiClient, type Session } from '../api/client'
import { getMe, type Me } from '../api/office'
import { clearSession, loadSession, saveSession } from './tokens'
import { syncMediaCookie } from './mediaCookie'

const state = reactive({
  session: loadSession() as Session | null,
  me: null as Me | null,
})

let timer: ReturnType<typeof setTimeout> | undefined
const authLostHandlers: Array<() => void> = []
const passwordChangeHandlers: Array<() => void> = []

// Refresh ahead of expiry (at most a minute ahead; half the lifetime for short tokens),
// so a user reading a page never meets a 401. The client also refreshes on demand.
function scheduleRefresh(): void {
  clearTimeout(timer)
  const s = state.session
  if (!s) return
  const remaining = s.expiresAt - Date.now()
  const lead = Math.min(60_000, remaining / 2)
  timer = setTimeout(() => {
    // Failures are handled by the client (auth lost → handlers) or retried on the next request.
    client.refresh().catch(() => {})
  }, Math.max(0, remaining - lead))
}

export const client = createApiClient({
  store: {
    get: () => state.session,
    set(s) {
      const changed = s.accessToken !== state.session?.accessToken
      state.session = s
      saveSession(s)
      scheduleRefresh()
      if (changed) void syncMediaCookie(s.accessToken)
    },
    clear() {
      state.session = null
      state.me = null
      clearSession()
      scheduleRefresh()
      void syncMediaCookie(null)
    },
  },
  onAuthLost: () => authLostHandlers.forEach((h) => h()),
  // The server refused a call until the password is changed (it expired while
  // signed in, say): remember it, so that the router keeps the user on the
  // change-password page, and tell whoever listens.
  onPasswordChangeRequired: () => {
    if (state.session && !state.session.passwordChangeRequired) {
      state.session = { ...state.session, passwordChangeRequired: true }
      saveSession(state.session)
    }
    passwordChangeHandlers.forEach((h) => h())
  },
})

scheduleRefresh()
// A session restored from this tab's storage sets the media cookie again: another tab may have
// changed or cleared it (cookies are the browser's, sessions the tab's).
if (state.session) void syncMediaCookie(state.session.accessToken)

export const session = {
  /** Read-only view for templates: session (tokens + user) and me. */
  state: readonly(state),

  isLoggedIn: (): boolean => state.session !== null,

  async login(username: string, password: string): Promise<void> {
    await client.login(username, password)
    state.me = null
  },

  async logout(): Promise<void> {
    await client.logout()
  },

  /** The session may only change the password (after a reset, at the first login, once expired). */
  mustChangePassword: (): boolean => !!state.session?.passwordChangeRequired,

  /** Changes the password; the server answers with a fresh, unrestricted session. */
  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await client.changePassword(oldPassword, newPassword)
    state.me = null
  },

  /** Registers what to do when the server says the password must be changed first. */
  onPasswordChangeRequired(handler: () => void): void {
    passwordChangeHandlers.push(handler)
  },

  /** Loads /me once per session; pass force to reload. */
  async loadMe(force = false, signal?: AbortSignal): Promise<Me> {
    if (state.me && !force) return state.me as Me
    const me = await getMe(client, signal)
    state.me = me
    return me
  },

  /** Registers what to do when the session ends on its own (e.g. redirect to login). */
  onAuthLost(handler: () => void): void {
    authLostHandlers.push(handler)
  },
}
