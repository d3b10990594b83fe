import { describe, expect, it, vi } from 'vitest'
import { createApiClient, type Session, type SessionStore } from './client'
import { ApiError } from './problem'

// The forced password change in the API client: a restricted login is kept
// as such, a 403 password_change_required is reported, and changing the
// password stores the fresh session the server returns.

const user = { id: 'u1', username: 'xinren', displayName: '新人', clearance: '非密' }
const NOW = 1_000_000

function store(initial: Session | null = null): SessionStore & { value: Session | null } {
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

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })

describe('forced password change', () => {
  it('keeps a restricted login restricted, reports the 403, and stores the session a change returns', async () => {
    const s = store()
    const onPasswordChangeRequired = vi.fn()
    const bodies: unknown[] = []
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input)
      if (init?.body) bodies.push(JSON.parse(String(init.body)))
      if (url.endsWith('/auth/login')) {
        return json(200, { accessToken: 'ra', refreshToken: 'rr', expiresIn: 900, user, passwordChangeRequired: true, passwordChangeReason: 'first_login' })
      }
      if (url.endsWith('/me')) {
        return json(403, { status: 403, code: 'password_change_required', detail: '请先修改密码' }, 'application/problem+json')
      }
      if (url.endsWith('/auth/password')) {
        expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer ra')
        return json(200, { accessToken: 'fa', refreshToken: 'fr', expiresIn: 900, user })
      }
      throw new Error(`unexpected ${url}`)
    })
    const client = createApiClient({ store: s, fetch: fetch as unknown as typeof globalThis.fetch, now: () => NOW, onPasswordChangeRequired })

    await client.login('xinren', 'Chushi-Mima-2026')
    expect(s.value?.passwordChangeRequired).toBe(true)
    expect(s.value?.passwordChangeReason).toBe('first_login')

    const err = await client.request('/api/office/v1/me').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).problem.code).toBe('password_change_required')
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1)

    await client.changePassword('Chushi-Mima-2026', 'Ziji-Xuan-2026')
    expect(bodies.at(-1)).toEqual({ oldPassword: 'Chushi-Mima-2026', newPassword: 'Ziji-Xuan-2026' })
    expect(s.value?.accessToken).toBe('fa')
    expect(s.value?.passwordChangeRequired).toBeUndefined()
  })

  it('hands a download over as a Blob', async () => {
    const s = store({ accessToken: 'a', refreshToken: 'r', expiresAt: NOW + 900_000, user })
    const fetch = vi.fn(async () => new Response('\ufeff序号\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }))
    const client = createApiClient({ store: s, fetch: fetch as unknown as typeof globalThis.fetch, now: () => NOW })
    const blob = await client.request<Blob>('/api/office/v1/audit/export', { raw: true })
    expect(blob.type).toBe('text/csv')
    const bytes = new Uint8Array(await blob.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  })
})
