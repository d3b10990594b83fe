import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { defineComponent, ref } from 'vue'

vi.mock('../../auth/session', () => ({
  client: {
    optionalAuthRequest: () =>
      Promise.resolve([
        { key: 'news', name: '政务要闻', types: ['article'] },
        { key: 'files', name: '政府文件', types: ['policy'] },
      ]),
  },
}))

const { default: DesignationFields } = await import('./DesignationFields.vue')
const { loadChannels } = await import('../portal/lookup')

const Form = (attrs: string) =>
  defineComponent({
    components: { DesignationFields },
    setup: () => ({ channel: ref('news'), embargo: ref('') }),
    template: `<el-form><DesignationFields v-model:channel="channel" v-model:embargo="embargo" :errors="{ embargoUntil: '解禁时间无效' }" ${attrs} /></el-form>`,
  })

describe('DesignationFields', () => {
  it('offers the channels that take articles, under the caller’s test ids', async () => {
    await loadChannels()
    const w = mount(Form('required placeholder="请选择栏目" width="100%" testid="designate"'), { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const select = w.getComponent({ name: 'ElSelect' })
    expect(select.attributes('data-testid')).toBe('designate-channel')
    expect(select.props('clearable')).toBe(false)
    expect(w.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual(['政务要闻'])
    expect(w.getComponent({ name: 'ElDatePicker' }).vm.$attrs['data-testid']).toBe('designate-embargo')
    expect(w.findAll('.el-form-item')[0]!.classes()).toContain('is-required')
    expect(w.findAllComponents({ name: 'ElFormItem' })[1]!.props('error')).toBe('解禁时间无效')

    select.vm.$emit('update:modelValue', '')
    expect(w.vm.channel).toBe('')
  })

  it('lets an optional channel be cleared', async () => {
    const w = mount(Form('placeholder="可稍后在详情页指定" width="260px" testid="field"'), { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const select = w.getComponent({ name: 'ElSelect' })
    expect(select.attributes('data-testid')).toBe('field-channel')
    expect(select.props('clearable')).toBe(true)
    expect(w.findAll('.el-form-item')[0]!.classes()).not.toContain('is-required')
  })
})
