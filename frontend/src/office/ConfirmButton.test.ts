import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import ConfirmButton from './ConfirmButton.vue'

describe('ConfirmButton', () => {
  it('asks before it acts, with a confirming button named like the link', async () => {
    const w = mount(ConfirmButton, {
      props: { text: '删除', question: '确定删除这条规则吗？', testid: 'rule-delete' },
      global: { plugins: [ElementPlus] },
    })
    const link = w.get('[data-testid="rule-delete"]')
    expect(link.text()).toBe('删除')
    expect(link.classes()).toEqual(expect.arrayContaining(['el-button--danger', 'is-link']))
    const pop = w.getComponent({ name: 'ElPopconfirm' })
    expect(pop.props()).toMatchObject({ title: '确定删除这条规则吗？', confirmButtonText: '删除', cancelButtonText: '取消' })
    await link.trigger('click')
    expect(w.emitted('confirm')).toBeUndefined()
    pop.vm.$emit('confirm', new MouseEvent('click'))
    expect(w.emitted('confirm')).toHaveLength(1)
  })
})
