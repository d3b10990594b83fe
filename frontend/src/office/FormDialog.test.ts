import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { defineComponent, ref } from 'vue'
import FormDialog from './FormDialog.vue'

// A page that uses the dialog as the office's pages do.
const Page = defineComponent({
  components: { FormDialog },
  setup() {
    return { open: ref(true), error: ref(''), busy: ref(false), confirmed: ref(0) }
  },
  template: `
    <FormDialog v-model="open" title="退回修改" width="480px" :error="error" error-testid="dialog-error" data-testid="reject-dialog"
      :busy="busy" confirm-text="确认退回" confirm-type="danger" confirm-testid="reject-confirm" @confirm="confirmed++">
      <p data-testid="body">表单</p>
    </FormDialog>`,
})

const find = (sel: string) => document.body.querySelector(sel)

describe('FormDialog', () => {
  it('shows the form, the failure, and 取消 beside the action', async () => {
    const w = mount(Page, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(find('[data-testid="reject-dialog"]')?.textContent).toContain('退回修改')
    expect(find('[data-testid="body"]')?.textContent).toBe('表单')
    expect(find('[data-testid="dialog-error"]')).toBeNull()

    const confirm = find('[data-testid="reject-confirm"]') as HTMLButtonElement
    expect(confirm.textContent?.trim()).toBe('确认退回')
    expect(confirm.classList).toContain('el-button--danger')
    confirm.click()
    expect(w.vm.confirmed).toBe(1)

    w.vm.error = '该信息已被他人处理'
    w.vm.busy = true
    await flushPromises()
    expect(find('[data-testid="dialog-error"]')?.textContent).toContain('该信息已被他人处理')
    expect(confirm.classList).toContain('is-loading')

    const cancel = [...document.body.querySelectorAll('.el-dialog__footer button')].find((b) => b.textContent?.trim() === '取消') as HTMLButtonElement
    cancel.click()
    await flushPromises()
    expect(w.vm.open).toBe(false)
    w.unmount()
  })

  it('submits on Enter only when asked, and has no form when it only asks to confirm', async () => {
    const Dialog = (attrs: string, body: string) =>
      defineComponent({
        components: { FormDialog },
        setup: () => ({ confirmed: ref(0) }),
        template: `<FormDialog :model-value="true" title="t" width="400px" confirm-text="确定" ${attrs} @confirm="confirmed++">${body}</FormDialog>`,
      })
    const field = '<el-form-item label="临时密码"><el-input model-value="" /></el-form-item>'
    for (const [attrs, want] of [
      ['submit-on-enter', 1],
      ['', 0],
    ] as const) {
      const w = mount(Dialog(attrs, field), { global: { plugins: [ElementPlus] }, attachTo: document.body })
      await flushPromises()
      document.body.querySelector('.el-dialog form')!.dispatchEvent(new Event('submit', { cancelable: true }))
      expect(w.vm.confirmed).toBe(want)
      w.unmount()
    }

    const w = mount(Dialog('', '<template #intro><p data-testid="intro">删除后不可恢复</p></template>'), {
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(find('[data-testid="intro"]')).not.toBeNull()
    expect(document.body.querySelector('.el-dialog form')).toBeNull()
    w.unmount()
  })
})
