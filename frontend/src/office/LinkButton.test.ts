import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import LinkButton from './LinkButton.vue'
import UploadButton from './UploadButton.vue'

const router = () =>
  createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })

describe('LinkButton', () => {
  it('is one link that looks like a button: no control nested in another', async () => {
    const r = router()
    const w = mount(LinkButton, {
      props: { to: '/office/documents/new', type: 'primary' },
      attrs: { 'data-testid': 'doc-new' },
      slots: { default: '起草公文' },
      global: { plugins: [ElementPlus, r] },
    })
    const a = w.get('a')
    expect(a.attributes('href')).toBe('/office/documents/new')
    expect(a.attributes('data-testid')).toBe('doc-new')
    expect(a.classes()).toContain('el-button--primary')
    expect(w.findAll('button')).toHaveLength(0)
    await a.trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.fullPath).toBe('/office/documents/new')
  })
})

describe('UploadButton', () => {
  it("has the upload trigger as its only control, named by the slot's words", () => {
    const w = mount(UploadButton, {
      props: { type: 'primary', testid: 'att-upload' },
      attrs: { multiple: true, 'data-testid': 'seal-verify-upload' },
      slots: { default: '上传附件' },
      global: { plugins: [ElementPlus] },
    })
    const trigger = w.get('[role=button]')
    expect(trigger.text()).toBe('上传附件')
    expect(trigger.find('button').exists()).toBe(false)
    expect(w.get('[data-testid=att-upload]').classes()).toContain('el-button--primary')
    expect(w.get('[data-testid=seal-verify-upload] input[type=file]').attributes('multiple')).toBeDefined()
  })
})
