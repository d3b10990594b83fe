import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '../../api/problem'

// The page only needs the client (for the status) and the session (for InfoNav).
const request = vi.fn()
vi.mock('../../auth/session', () => ({
  client: { request: (path: string, o?: unknown) => request(path, o) },
  session: { state: { me: { roles: ['sysadmin'], permissions: [] } } },
}))

const { default: GatewayStatus } = await import('./GatewayStatus.vue')

async function mountPage() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/office/info/gateway', component: GatewayStatus }] })
  await router.push('/office/info/gateway')
  await router.isReady()
  return mount(GatewayStatus, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] } })
}

const status = (crossed: number) => ({ checkpoint: 40, lastSeq: 42, lag: 2, crossed, refused: 3, withdrawn: 1 })

describe('GatewayStatus', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    request.mockReset()
  })
  afterEach(() => vi.useRealTimers())

  it('shows the numbers and refreshes them every 5 s until it is left', async () => {
    request.mockResolvedValueOnce(status(7)).mockResolvedValueOnce(status(8))
    const w = await mountPage()
    await flushPromises()
    expect(request).toHaveBeenCalledTimes(1)
    expect(request.mock.calls[0][0]).toBe('/api/office/v1/gateway/status')
    expect(w.get('[data-testid="gateway-crossed"]').text()).toContain('7')
    expect(w.get('[data-testid="gateway-lag"]').text()).toContain('积压')

    await vi.advanceTimersByTimeAsync(5_000)
    await flushPromises()
    expect(request).toHaveBeenCalledTimes(2)
    expect(w.get('[data-testid="gateway-crossed"]').text()).toContain('8')

    w.unmount()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(request).toHaveBeenCalledTimes(2)
  })

  it('shows the server message when refused', async () => {
    request.mockRejectedValue(new ApiError({ status: 403, detail: '没有权限查看网关状态' }))
    const w = await mountPage()
    await flushPromises()
    expect(w.get('[data-testid="gateway-error"]').text()).toContain('没有权限查看网关状态')
    w.unmount()
  })
})
