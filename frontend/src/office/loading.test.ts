import { describe, expect, it, vi } from 'vitest'
import { ElMessage } from 'element-plus'
import { ApiError } from '../api/problem'
import { useLoading } from './loading'

const refused = new ApiError({ status: 403, code: 'officer_account', detail: '三员账号须经变更申请' })

describe('useLoading', () => {
  it('shows the spinner while it fetches and the server’s message when the fetch fails', async () => {
    const { loading, error, run } = useLoading()
    error.value = '上次的错误'
    let during = false
    await run(async () => {
      during = loading.value
      expect(error.value).toBe('')
      throw refused
    })
    expect([during, loading.value, error.value]).toEqual([true, false, '三员账号须经变更申请'])
  })

  it('act: says done and reloads after a change, or shows why the change (or the reload) failed', async () => {
    const said = vi.spyOn(ElMessage, 'success').mockImplementation(() => ({ close: () => {} }))
    const { error, act } = useLoading()
    const reload = vi.fn(() => Promise.resolve())
    expect(await act(() => Promise.resolve(), '已解除锁定', reload)).toBe(true)
    expect(said).toHaveBeenCalledWith('已解除锁定')
    expect(reload).toHaveBeenCalledTimes(1)
    expect(error.value).toBe('')

    const failed = vi.fn()
    expect(await act(() => Promise.reject(refused), '已停用', reload, failed)).toBe(false)
    expect(error.value).toBe('三员账号须经变更申请')
    expect(failed).toHaveBeenCalledWith(refused)
    expect(reload).toHaveBeenCalledTimes(1)
    expect(said).toHaveBeenCalledTimes(1)

    expect(await act(() => Promise.resolve(), '已改名', () => Promise.reject(refused))).toBe(false)
    expect(error.value).toBe('三员账号须经变更申请')
    said.mockRestore()
  })
})
