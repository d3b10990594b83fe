import { describe, expect, it } from 'vitest'
import { activeMenuPath, officeMenu } from './menu'

describe('office menu', () => {
  it('has the 信息发布 entry', () => {
    expect(officeMenu.find((m) => m.label === '信息发布')?.path).toBe('portal')
  })

  it('keeps the entry lit on its sub-pages', () => {
    expect(activeMenuPath('/office')).toBe('/office')
    expect(activeMenuPath('/office/')).toBe('/office')
    expect(activeMenuPath('/office/mail')).toBe('/office/mail')
    expect(activeMenuPath('/office/portal/documents/abc/history')).toBe('/office/portal')
    expect(activeMenuPath('/office/portalx')).toBe('/office')
  })
})
