// Where to go after login. Only same-site paths are accepted, so a crafted
// link like /login?redirect=https://evil.example cannot send users elsewhere.

export const DEFAULT_AFTER_LOGIN = '/office'

export function safeRedirect(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) {
    return DEFAULT_AFTER_LOGIN
  }
  // The login page itself is no destination.
  if (v === '/login' || v.startsWith('/login?') || v.startsWith('/login#')) return DEFAULT_AFTER_LOGIN
  return v
}
