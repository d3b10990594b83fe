import { describe, expect, it } from 'vitest'
import { activeMenuPath, officeMenu } from './menu'

describe('office menu', () => {
  it('has the 信息发布 entry', () => {
    expect(officeMenu.find((m) => m.label === '信息发布')?.path).toBe('portal')
  })

  it.each([
    ['/office', '/office'],
    ['/office/', '/office'],
    ['/office/mail', '/office/mail'],
    ['/office/portal/documents/abc/history', '/office/portal'],
    ['/office/portalx', '/office'],
  ])('keeps the entry lit on its sub-pages: %s lights %s', (path, entry) => {
    expect(activeMenuPath(path)).toBe(entry)
  })
})
