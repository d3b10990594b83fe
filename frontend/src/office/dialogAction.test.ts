import { describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from '../api/problem'
import { useDialogAction } from './dialogAction'

describe('useDialogAction', () => {
  it('on success says so, closes the dialog and reloads', async () => {
    const said = vi.spyOn(ElMessage, 'success').mockImplementation(() => ({ close: () => {} }))
    const { busy, error, submit } = useDialogAction()
    const open = ref(true)
    const order: string[] = []
    const running = submit(
      async () => {
        order.push(`action busy=${busy.value}`)
      },
      '已创建用户',
      open,
      async () => {
        order.push(`reload open=${open.value}`)
      },
    )
    await running
    expect(order).toEqual(['action busy=true', 'reload open=false'])
    expect(said).toHaveBeenCalledWith('已创建用户')
    expect([busy.value, error.value, open.value]).toEqual([false, '', false])
    said.mockRestore()
  })

  it('on failure keeps the dialog open with the message and the field errors', async () => {
    const { busy, error, fieldErr, clear, submit } = useDialogAction()
    const open = ref(true)
    const reload = vi.fn()
    const refused = new ApiError({ status: 400, code: 'invalid', detail: '登录名已存在', errors: [{ field: 'username', message: '登录名已存在' }] })
    await submit(() => Promise.reject(refused), '已创建用户', open, reload)
    expect([busy.value, error.value, open.value]).toEqual([false, '登录名已存在', true])
    expect(fieldErr.value).toEqual({ username: '登录名已存在' })
    expect(reload).not.toHaveBeenCalled()
    clear()
    expect([error.value, fieldErr.value]).toEqual(['', {}])
  })
})
