// The fetch wrapper every screen uses for the Zhengwu APIs (same origin).
//
// Token rules:
//  - each request carries the access token as `Authorization: Bearer`;
//  - shortly before the access token expires it is refreshed first;
//  - a 401 triggers ONE refresh and ONE retry; a second 401 ends the session;
//  - concurrent callers share a single refresh request, because the server
//    rotates refresh tokens and a second refresh with the old one would fail;
//  - if the server refuses the refresh (4xx) the session is cleared and
//    onAuthLost runs; a network failure keeps the session (it may be transient).

import { ApiError, AuthLostError, NetworkError } from './problem'

export const AUTH_BASE = '/api/office/v1/auth'

export interface AuthUser {
  id: string
  username: string
  displayName: string
  clearance: string
}

/** Why the password must be changed before anything else. */
export type PasswordChangeReason = 'first_login' | 'reset' | 'expired'

/** Body of a successful login or refresh. */
export interface TokenResponse {
  accessToken: string
  refreshToken: string
  /** Seconds the access token stays valid. */
  expiresIn: number
  user: AuthUser
  /** The tokens may only change the password (POST /auth/password). */
  passwordChangeRequired?: boolean
  passwordChangeReason?: PasswordChangeReason
}

/** What the browser keeps between page loads (in sessionStorage). */
export interface Session {
  accessToken: string
  refreshToken: string
  /** Epoch milliseconds, by the browser's clock. */
  expiresAt: number
  user: AuthUser
  passwordChangeRequired?: boolean
  passwordChangeReason?: PasswordChangeReason
}

/** The server's code for a token that may only change the password. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required'

export interface SessionStore {
  get(): Session | null
  set(s: Session): void
  clear(): void
}

export interface ApiClientOptions {
  store: SessionStore
  /** Defaults to the global fetch; tests pass a fake. */
  fetch?: typeof fetch
  /** Defaults to Date.now; tests pass a fake clock. */
  now?: () => number
  /** Called once the session is gone for good (refresh refused, or 401 after refresh). */
  onAuthLost?: () => void
  /** Called when the server says the password must be changed first (403 password_change_required). */
  onPasswordChangeRequired?: () => void
}

export interface RequestOptions {
  method?: string
  /** Serialised as JSON; a FormData (file upload) is sent as multipart as it is, a Blob (a PDF to verify) as its bytes with its type. */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Resolve to the body as a Blob (a file download) instead of parsed JSON. */
  raw?: boolean
  /** Resolve to the Response itself, its body unread (a text/event-stream). */
  stream?: boolean
}

/** Refresh before a request when the access token has less than this left. */
export const REFRESH_SKEW_MS = 30_000

export type ApiClient = ReturnType<typeof createApiClient>

export function createApiClient(opts: ApiClientOptions) {
  const { store } = opts
  // Wrapped rather than stored: calling a detached window.fetch throws "Illegal invocation".
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = opts.now ?? Date.now
  let refreshing: Promise<void> | null = null

  function authLost(): never {
    store.clear()
    opts.onAuthLost?.()
    throw new AuthLostError()
  }

  async function send(path: string, o: RequestOptions, token?: string): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      ...o.headers,
    }
    const multipart = typeof FormData !== 'undefined' && o.body instanceof FormData
    const blob = typeof Blob !== 'undefined' && o.body instanceof Blob
    // For multipart the browser sets Content-Type itself (with the boundary).
    if (blob) headers['Content-Type'] = (o.body as Blob).type || 'application/octet-stream'
    else if (o.body !== undefined && !multipart) headers['Content-Type'] = 'application/json'
    if (token) headers.Authorization = `Bearer ${token}`
    const init: RequestInit = {
      method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
      headers,
      body: o.body === undefined ? undefined : multipart || blob ? (o.body as FormData | Blob) : JSON.stringify(o.body),
      signal: o.signal,
    }
    // Public reads (e.g. the channel tree) are cacheable without `Vary: Authorization`:
    // a signed-in read must neither reuse an anonymous answer from the browser's
    // cache nor leave its own (with internal items) there for later anonymous reads.
    if (token) init.cache = 'no-store'
    try {
      return await doFetch(path, init)
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e
      throw new NetworkError(e)
    }
  }

  async function parse<T>(res: Response, raw = false): Promise<T> {
    if (!res.ok) {
      const err = await ApiError.fromResponse(res)
      if (err.problem.code === PASSWORD_CHANGE_REQUIRED) opts.onPasswordChangeRequired?.()
      throw err
    }
    if (raw) return (await res.blob()) as T
    const text = res.status === 204 ? '' : await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  function save(t: TokenResponse): Session {
    const s: Session = {
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresAt: now() + t.expiresIn * 1000,
      user: t.user,
    }
    if (t.passwordChangeRequired) {
      s.passwordChangeRequired = true
      s.passwordChangeReason = t.passwordChangeReason
    }
    store.set(s)
    return s
  }

  async function doRefresh(): Promise<void> {
    const s = store.get()
    if (!s) authLost()
    const res = await send(`${AUTH_BASE}/refresh`, { body: { refreshToken: s.refreshToken } })
    if (res.status >= 400 && res.status < 500) {
      // Expired, revoked or already-rotated refresh token: nothing left to try.
      await res.body?.cancel()
      authLost()
    }
    save(await parse<TokenResponse>(res))
  }

  /** Refreshes the tokens; concurrent calls share one request. */
  function refresh(): Promise<void> {
    refreshing ??= doRefresh().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  /** An authenticated call; resolves to the parsed JSON body (undefined for 204). */
  async function request<T>(path: string, o: RequestOptions = {}): Promise<T> {
    let s = store.get()
    if (!s) authLost()
    if (s.expiresAt - now() < REFRESH_SKEW_MS) {
      try {
        await refresh()
      } catch (e) {
        // Offline for a moment: the current token may still be good, so try it.
        if (!(e instanceof NetworkError)) throw e
      }
      s = store.get() ?? authLost()
    }
    let res = await send(path, o, s.accessToken)
    if (res.status === 401) {
      await res.body?.cancel()
      await refresh()
      res = await send(path, o, store.get()?.accessToken)
      if (res.status === 401) {
        await res.body?.cancel()
        authLost()
      }
    }
    if (o.stream && res.ok) return res as T
    return parse<T>(res, o.raw)
  }

  /**
   * A read that works with or without a session (the portal's delivery API):
   * signed in, it is an authenticated request (internal items become visible);
   * anonymous, it is a plain request.
   */
  async function optionalAuthRequest<T>(path: string, o: RequestOptions = {}): Promise<T> {
    if (store.get()) return request<T>(path, o)
    return parse<T>(await send(path, o))
  }

  /** Logs in and stores the session. Throws ApiError (401 wrong password, 423 locked, …). */
  async function login(username: string, password: string): Promise<Session> {
    const res = await send(`${AUTH_BASE}/login`, { body: { username, password } })
    return save(await parse<TokenResponse>(res))
  }

  /**
   * Changes the signed-in user's password (the only call a session restricted to
   * changing it may make); the server answers with a fresh, unrestricted session.
   */
  async function changePassword(oldPassword: string, newPassword: string): Promise<Session> {
    const t = await request<TokenResponse>(`${AUTH_BASE}/password`, { body: { oldPassword, newPassword } })
    return save(t)
  }

  /** Revokes the refresh token on the server (best effort) and forgets the session. */
  async function logout(): Promise<void> {
    const s = store.get()
    try {
      if (s) {
        const res = await send(`${AUTH_BASE}/logout`, { body: { refreshToken: s.refreshToken } }, s.accessToken)
        await res.body?.cancel()
      }
    } catch {
      // The server may be unreachable; the local session is cleared regardless.
    } finally {
      store.clear()
    }
  }

  return { request, optionalAuthRequest, refresh, login, logout, changePassword }
}
