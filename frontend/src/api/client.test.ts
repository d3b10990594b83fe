import { describe, expect, it, vi } from 'vitest'
import { AUTH_BASE, createApiClient, type Session, type SessionStore, type TokenResponse } from './client'
import { ApiError, AuthLostError, NetworkError } from './problem'

const user = { id: 'u1', username: 'staff', displayName: '张三', clearance: '非密' }
const NOW = 1_000_000

function memoryStore(initial: Session | null = null): SessionStore & { value: Session | null } {
  return {
    value: initial,
    get() {
      return this.value
    },
    set(s) {
      this.value = s
    },
    clear() {
      this.value = null
    },
  }
}

function session(over: Partial<Session> = {}): Session {
  return { accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 900_000, user, ...over }
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

function tokens(n: number): TokenResponse {
  return { accessToken: `a${n}`, refreshToken: `r${n}`, expiresIn: 900, user }
}

const problem = (status: number, detail: string, extra: object = {}) =>
  json(status, { type: 'about:blank', title: 'x', status, detail, ...extra }, 'application/problem+json')

interface Call {
  url: string
  method: string
  auth: string | null
  body: unknown
}

/**
 * A fake fetch: `routes` maps "METHOD path" to a function giving the response;
 * every call is recorded for assertions.
 */
function fakeFetch(routes: Record<string, (c: Call) => Response | Promise<Response>>) {
  const calls: Call[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      auth: headers.get('Authorization'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    }
    calls.push(call)
    const route = routes[`${call.method} ${call.url}`]
    if (!route) throw new Error(`unexpected ${call.method} ${call.url}`)
    return route(call)
  })
  return { fetch: fn as unknown as typeof fetch, calls }
}

function setup(routes: Parameters<typeof fakeFetch>[0], initial: Session | null = session()) {
  const store = memoryStore(initial)
  const f = fakeFetch(routes)
  const onAuthLost = vi.fn()
  const onPasswordChangeRequired = vi.fn()
  const client = createApiClient({ store, fetch: f.fetch, now: () => NOW, onAuthLost, onPasswordChangeRequired })
  return { client, store, calls: f.calls, onAuthLost, onPasswordChangeRequired }
}

describe('api client', () => {
  it('sends the access token and parses JSON', async () => {
    const { client, calls } = setup({ 'GET /api/office/v1/me': () => json(200, { ok: true }) })
    await expect(client.request('/api/office/v1/me')).resolves.toEqual({ ok: true })
    expect(calls).toHaveLength(1)
    expect(calls[0].auth).toBe('Bearer a1')
  })

  it('on 401 refreshes once and retries with the new token', async () => {
    const { client, calls, store } = setup({
      'GET /x': (c) => (c.auth === 'Bearer a2' ? json(200, { n: 1 }) : problem(401, '令牌已过期')),
      [`POST ${AUTH_BASE}/refresh`]: () => json(200, tokens(2)),
    })
    await expect(client.request('/x')).resolves.toEqual({ n: 1 })
    expect(calls.map((c) => `${c.method} ${c.url} ${c.auth ?? ''}`)).toEqual([
      'GET /x Bearer a1',
      `POST ${AUTH_BASE}/refresh `,
      'GET /x Bearer a2',
    ])
    expect(calls[1].body).toEqual({ refreshToken: 'r1' })
    expect(store.value).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', expiresAt: NOW + 900_000 })
  })

  it('shares one refresh between concurrent 401s', async () => {
    let refreshes = 0
    const { client } = setup({
      'GET /x': (c) => (c.auth === 'Bearer a2' ? json(200, 1) : problem(401, '')),
      'GET /y': (c) => (c.auth === 'Bearer a2' ? json(200, 2) : problem(401, '')),
      [`POST ${AUTH_BASE}/refresh`]: () => {
        refreshes++
        return json(200, tokens(2))
      },
    })
    await expect(Promise.all([client.request('/x'), client.request('/y')])).resolves.toEqual([1, 2])
    expect(refreshes).toBe(1)
  })

  it('gives up after the retry also gets 401 (no refresh loop)', async () => {
    const { client, calls, store, onAuthLost } = setup({
      'GET /x': () => problem(401, '未登录'),
      [`POST ${AUTH_BASE}/refresh`]: () => json(200, tokens(2)),
    })
    await expect(client.request('/x')).rejects.toBeInstanceOf(AuthLostError)
    expect(calls).toHaveLength(3)
    expect(store.value).toBeNull()
    expect(onAuthLost).toHaveBeenCalledTimes(1)
  })

  it('logs out when the refresh is refused', async () => {
    const { client, calls, store, onAuthLost } = setup({
      'GET /x': () => problem(401, '未登录'),
      [`POST ${AUTH_BASE}/refresh`]: () => problem(401, '刷新令牌无效'),
    })
    await expect(client.request('/x')).rejects.toBeInstanceOf(AuthLostError)
    expect(calls).toHaveLength(2)
    expect(store.value).toBeNull()
    expect(onAuthLost).toHaveBeenCalledTimes(1)
  })

  it('refreshes before a request when the token is about to expire', async () => {
    const { client, calls } = setup(
      {
        'GET /x': (c) => (c.auth === 'Bearer a2' ? json(200, 'ok') : problem(401, '')),
        [`POST ${AUTH_BASE}/refresh`]: () => json(200, tokens(2)),
      },
      session({ expiresAt: NOW + 10_000 }),
    )
    await expect(client.request('/x')).resolves.toBe('ok')
    expect(calls.map((c) => c.url)).toEqual([`${AUTH_BASE}/refresh`, '/x'])
  })

  it('keeps the session when the refresh fails for network reasons', async () => {
    const { client, store, onAuthLost } = setup({
      'GET /x': () => problem(401, ''),
      [`POST ${AUTH_BASE}/refresh`]: () => {
        throw new TypeError('Failed to fetch')
      },
    })
    await expect(client.request('/x')).rejects.toBeInstanceOf(NetworkError)
    expect(store.value?.refreshToken).toBe('r1')
    expect(onAuthLost).not.toHaveBeenCalled()
  })

  it('passes other errors through as ApiError', async () => {
    const { client } = setup({ 'GET /x': () => problem(403, '没有权限查看该文件', { code: 'forbidden' }) })
    const err = (await client.request('/x').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(403)
    expect(err.problem.code).toBe('forbidden')
    expect(err.message).toBe('没有权限查看该文件')
  })

  it('fails fast without a session', async () => {
    const { client, calls, onAuthLost } = setup({}, null)
    await expect(client.request('/x')).rejects.toBeInstanceOf(AuthLostError)
    expect(calls).toHaveLength(0)
    expect(onAuthLost).toHaveBeenCalledTimes(1)
  })

  it('login stores the session; a failed login throws the problem', async () => {
    const { client, store, calls } = setup(
      {
        [`POST ${AUTH_BASE}/login`]: (c) =>
          (c.body as { password: string }).password === 'right'
            ? json(200, tokens(1))
            : problem(401, '用户名或密码错误', { code: 'invalid_credentials' }),
      },
      null,
    )
    const err = (await client.login('staff', 'wrong').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.problem.detail).toBe('用户名或密码错误')
    expect(store.value).toBeNull()

    await client.login('staff', 'right')
    expect(calls[1].body).toEqual({ username: 'staff', password: 'right' })
    expect(calls[1].auth).toBeNull()
    expect(store.value).toEqual({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 900_000, user })
  })

  it('logout revokes the refresh token and clears the session, even offline', async () => {
    const ok = setup({ [`POST ${AUTH_BASE}/logout`]: () => new Response(null, { status: 204 }) })
    await ok.client.logout()
    expect(ok.calls[0].body).toEqual({ refreshToken: 'r1' })
    expect(ok.store.value).toBeNull()

    const offline = setup({
      [`POST ${AUTH_BASE}/logout`]: () => {
        throw new TypeError('Failed to fetch')
      },
    })
    await offline.client.logout()
    expect(offline.store.value).toBeNull()
  })
})

describe('api client extras', () => {
  it('optionalAuthRequest goes anonymous without a session and authenticated with one', async () => {
    const anon = setup({ 'GET /api/portal/v1/channels': () => json(200, []) }, null)
    await expect(anon.client.optionalAuthRequest('/api/portal/v1/channels')).resolves.toEqual([])
    expect(anon.calls[0].auth).toBeNull()
    expect(anon.onAuthLost).not.toHaveBeenCalled()

    const signed = setup({ 'GET /api/portal/v1/channels': () => json(200, [1]) })
    await expect(signed.client.optionalAuthRequest('/api/portal/v1/channels')).resolves.toEqual([1])
    expect(signed.calls[0].auth).toBe('Bearer a1')
  })

  it('keeps signed-in reads out of the browser cache; anonymous reads may use it', async () => {
    const inits: Array<RequestInit | undefined> = []
    const make = (initial: Session | null) =>
      createApiClient({
        store: memoryStore(initial),
        now: () => NOW,
        fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
          inits.push(init)
          return json(200, [])
        }) as typeof fetch,
      })
    await make(session()).optionalAuthRequest('/api/portal/v1/channels')
    await make(null).optionalAuthRequest('/api/portal/v1/channels')
    expect(inits[0]?.cache).toBe('no-store')
    expect(inits[1]?.cache).toBeUndefined()
  })

  it('sends FormData as it is, without a JSON content type', async () => {
    let seen: RequestInit | undefined
    const store = memoryStore(session())
    const client = createApiClient({
      store,
      now: () => NOW,
      fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
        seen = init
        return json(201, { id: 'm1' })
      }) as typeof fetch,
    })
    const form = new FormData()
    form.append('file', new Blob(['x']), '附件.txt')
    await expect(client.request('/api/portal/v1/media', { body: form })).resolves.toEqual({ id: 'm1' })
    expect(seen?.body).toBe(form)
    expect(new Headers(seen?.headers).get('Content-Type')).toBeNull()
    expect(seen?.method).toBe('POST')
  })

  it('sends a Blob as its bytes with its own content type (a PDF to verify)', async () => {
    let seen: RequestInit | undefined
    const client = createApiClient({
      store: memoryStore(session()),
      now: () => NOW,
      fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
        seen = init
        return json(200, { valid: true })
      }) as typeof fetch,
    })
    const pdf = new Blob(['%PDF-1.7'], { type: 'application/pdf' })
    await client.request('/api/office/v1/seal/verify', { body: pdf })
    expect(seen?.body).toBe(pdf)
    expect(new Headers(seen?.headers).get('Content-Type')).toBe('application/pdf')
  })
})

// The forced password change: a restricted login is kept as such, a 403
// password_change_required is reported, and changing the password stores the
// fresh session the server returns.
describe('forced password change', () => {
  it('keeps a restricted login restricted, reports the 403, and stores the session a change returns', async () => {
    const { client, store, calls, onPasswordChangeRequired } = setup(
      {
        [`POST ${AUTH_BASE}/login`]: () => json(200, { ...tokens(1), passwordChangeRequired: true, passwordChangeReason: 'first_login' }),
        'GET /api/office/v1/me': () => problem(403, '请先修改密码', { code: 'password_change_required' }),
        [`POST ${AUTH_BASE}/password`]: () => json(200, tokens(2)),
      },
      null,
    )
    await client.login('xinren', 'Chushi-Mima-2026')
    expect(store.value?.passwordChangeRequired).toBe(true)
    expect(store.value?.passwordChangeReason).toBe('first_login')

    const err = await client.request('/api/office/v1/me').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).problem.code).toBe('password_change_required')
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1)

    await client.changePassword('Chushi-Mima-2026', 'Ziji-Xuan-2026')
    const change = calls.at(-1)
    expect(change?.auth).toBe('Bearer a1')
    expect(change?.body).toEqual({ oldPassword: 'Chushi-Mima-2026', newPassword: 'Ziji-Xuan-2026' })
    expect(store.value?.accessToken).toBe('a2')
    expect(store.value?.passwordChangeRequired).toBeUndefined()
  })

  it('hands a download over as a Blob', async () => {
    const { client } = setup({
      'GET /api/office/v1/audit/export': () => new Response('\ufeff序号\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }),
    })
    const blob = await client.request<Blob>('/api/office/v1/audit/export', { raw: true })
    expect(blob.type).toBe('text/csv')
    const bytes = new Uint8Array(await blob.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  })
})
