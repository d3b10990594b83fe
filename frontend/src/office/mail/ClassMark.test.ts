import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import ClassMark from './ClassMark.vue'
import { bytes } from './api'

describe('ClassMark', () => {
  it('marks a classified mail and leaves 非密 unmarked', () => {
    const mark = (level?: string) => mount(ClassMark, { props: { level }, global: { plugins: [ElementPlus] } })
    expect(mark('秘密').get('[data-testid="mail-class"]').text()).toBe('秘密')
    expect(mark('非密').find('[data-testid="mail-class"]').exists()).toBe(false)
    expect(mark(undefined).find('[data-testid="mail-class"]').exists()).toBe(false)
  })
})

describe('bytes', () => {
  it('says a mailbox usage as people read it', () => {
    expect(bytes(512)).toBe('512 B')
    expect(bytes(1536)).toBe('1.5 KB')
    expect(bytes(2 * 1024 ** 3)).toBe('2.0 GB')
  })
})
