import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import AttachmentIssues from './AttachmentIssues.vue'

describe('AttachmentIssues', () => {
  it('lists each file search could not read, with the reason, as text', () => {
    const w = mount(AttachmentIssues, {
      global: { plugins: [ElementPlus] },
      props: { issues: [
        { mediaId: 'm1', name: '方案<b>.zip', reason: '不支持读取此类文件（.zip）', cause: 'unsupported' },
        { mediaId: 'm2', name: '加密.pdf', reason: '文件设有打开密码', cause: 'password' },
      ] },
    })
    expect(w.text()).toContain('附件无法建立索引')
    const lines = w.findAll('[data-testid="attachment-issue"]').map((l) => l.text())
    expect(lines).toEqual(['《方案<b>.zip》：不支持读取此类文件（.zip）', '《加密.pdf》：文件设有打开密码'])
    expect(w.find('b').exists()).toBe(false)
  })
  it('shows nothing without issues', () => {
    expect(mount(AttachmentIssues, { global: { plugins: [ElementPlus] }, props: { issues: [] } }).find('[data-testid="attachment-issues"]').exists()).toBe(false)
  })
})
