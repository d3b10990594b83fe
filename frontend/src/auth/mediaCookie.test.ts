import { describe, expect, it, vi } from 'vitest'
import { MEDIA_SESSION, syncMediaCookie } from './mediaCookie'

describe('media cookie', () => {
  it('asks the server to set the cookie to the access token, and to clear it', async () => {
    const fetchFn = vi.fn(async () => new Response(null, { status: 204 }))
    await syncMediaCookie('tok-1', fetchFn as unknown as typeof fetch)
    await syncMediaCookie(null, fetchFn as unknown as typeof fetch)
    expect(fetchFn).toHaveBeenNthCalledWith(1, MEDIA_SESSION, expect.objectContaining({ method: 'POST', headers: { Authorization: 'Bearer tok-1' } }))
    expect(fetchFn).toHaveBeenNthCalledWith(2, MEDIA_SESSION, expect.objectContaining({ method: 'DELETE' }))
  })

  it('survives a network failure', async () => {
    const fetchFn = vi.fn(async () => {
      throw new TypeError('offline')
    })
    await expect(syncMediaCookie('t', fetchFn as unknown as typeof fetch)).resolves.toBeUndefined()
  })
})
