import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { defineComponent, reactive } from 'vue'
import OrgUnitFields from './OrgUnitFields.vue'

describe('OrgUnitFields', () => {
  it('binds the id and name, shows the id rule with an example, and the server’s field errors', async () => {
    const Form = defineComponent({
      components: { OrgUnitFields },
      setup: () => ({ post: reactive({ id: '', name: '' }) }),
      template: `<el-form><OrgUnitFields v-model:id="post.id" v-model:name="post.name" :errors="{ id: '编号已存在' }" example="shuju-fenxi" testid="post" /></el-form>`,
    })
    const w = mount(Form, { global: { plugins: [ElementPlus] } })
    const id = w.get('input[data-testid="post-id"]')
    expect(id.attributes('placeholder')).toBe('小写字母、数字、- 或 _，如 shuju-fenxi')
    await id.setValue('shuju-fenxi')
    await w.get('input[data-testid="post-name"]').setValue('数据分析岗')
    expect(w.vm.post).toEqual({ id: 'shuju-fenxi', name: '数据分析岗' })
    const items = w.findAllComponents({ name: 'ElFormItem' })
    expect(items.map((i) => [i.props('label'), i.props('error')])).toEqual([
      ['编号', '编号已存在'],
      ['名称', undefined],
    ])
  })
})
