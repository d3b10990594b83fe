import { describe, expect, it } from 'vitest'
import { safeRedirect } from './redirect'

describe('safeRedirect', () => {
  it.each([
    ['/office/documents?id=1', '/office/documents?id=1'],
    ['/', '/'],
    [undefined, '/office'],
    ['', '/office'],
    ['https://evil.example', '/office'],
    ['//evil.example', '/office'],
    ['/\\evil.example', '/office'],
    ['/login?redirect=/x', '/office'],
    [['/office/mail', '/x'], '/office/mail'],
  ])('%j → %s', (input, want) => {
    expect(safeRedirect(input)).toBe(want)
  })
})
