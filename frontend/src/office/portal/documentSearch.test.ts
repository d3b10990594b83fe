import { describe, expect, it, vi } from 'vitest'

const request = vi.fn()
vi.mock('../../auth/session', () => ({ client: { request: (path: string) => request(path) } }))

const { useDocumentSearch } = await import('./documentSearch')
const { MANAGE_BASE } = await import('../../api/manage')

describe('useDocumentSearch', () => {
  it('asks for 20 matches under the filter and offers them as 标题（文号）, leaving out the document itself', async () => {
    let during = false
    const { searching, find } = useDocumentSearch()
    request.mockImplementation(() => {
      during = searching.value
      return Promise.resolve({
        items: [
          { id: 'd1', title: '关于优化营商环境的若干措施', docNumber: '政发〔2026〕3号' },
          { id: 'self', title: '本文件' },
          { id: 'd2', title: '' },
        ],
      })
    })
    expect(await find({ type: 'policy' }, ' 营商 ', 'self')).toEqual([
      { value: 'd1', label: '关于优化营商环境的若干措施（政发〔2026〕3号）' },
      { value: 'd2', label: 'd2' },
    ])
    expect(request).toHaveBeenCalledWith(`${MANAGE_BASE}/documents?type=policy&q=${encodeURIComponent('营商')}&size=20`)
    expect([during, searching.value]).toEqual([true, false])
  })

  it('hands a failure to the caller and stops searching', async () => {
    const { searching, find } = useDocumentSearch()
    request.mockRejectedValue(new Error('offline'))
    await expect(find({ state: 'published' }, '通知', 'x')).rejects.toThrow('offline')
    expect(searching.value).toBe(false)
  })
})
