import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { STORAGE_KEY, installAssistModes, largerText, modeClasses, modes, parseModes, resetModes, smallerText } from './modes'

describe('parseModes', () => {
  it('reads what was stored and defaults the rest', () => {
    expect(parseModes(JSON.stringify({ text: 2, contrast: true, guide: false }))).toEqual({ text: 2, contrast: true, guide: false })
    expect(parseModes(JSON.stringify({ contrast: true }))).toEqual({ text: 0, contrast: true, guide: false })
  })

  it('treats a broken or hostile entry as none', () => {
    expect(parseModes('{not json')).toEqual({ text: 0, contrast: false, guide: false })
    expect(parseModes(JSON.stringify({ text: 7, contrast: 'yes', guide: 1 }))).toEqual({ text: 0, contrast: false, guide: false })
    expect(parseModes(null)).toEqual({ text: 0, contrast: false, guide: false })
    expect(parseModes('null')).toEqual({ text: 0, contrast: false, guide: false })
  })
})

describe('modeClasses', () => {
  it('names one class per mode that is on', () => {
    expect(modeClasses({ text: 0, contrast: false, guide: false })).toEqual([])
    expect(modeClasses({ text: 1, contrast: true, guide: true })).toEqual(['zw-text-1', 'zw-contrast', 'zw-guide'])
    expect(modeClasses({ text: 2, contrast: false, guide: false })).toEqual(['zw-text-2'])
  })
})

describe('the live modes', () => {
  beforeEach(async () => {
    installAssistModes()
    resetModes()
    await nextTick()
  })

  it('puts the classes on <html> and remembers them in localStorage', async () => {
    largerText()
    modes.contrast = true
    await nextTick()
    const html = document.documentElement
    expect(html.classList.contains('zw-text-1')).toBe(true)
    expect(html.classList.contains('zw-contrast')).toBe(true)
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).toEqual({ text: 1, contrast: true, guide: false })

    largerText()
    await nextTick()
    expect(html.classList.contains('zw-text-1')).toBe(false)
    expect(html.classList.contains('zw-text-2')).toBe(true)
  })

  it('stops at two steps up and at the normal size down', async () => {
    largerText()
    largerText()
    largerText()
    expect(modes.text).toBe(2)
    smallerText()
    smallerText()
    smallerText()
    expect(modes.text).toBe(0)
  })

  it('reset removes every class and the stored entry', async () => {
    Object.assign(modes, { text: 2, contrast: true, guide: true })
    await nextTick()
    resetModes()
    await nextTick()
    expect([...document.documentElement.classList].filter((c) => c.startsWith('zw-'))).toEqual([])
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull()
  })
})
