import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '../api/problem'
import LoginPage from './LoginPage.vue'

// The page talks to the session singleton; replace it so no fetch happens.
const login = vi.fn()
vi.mock('./session', () => ({ session: { login: (u: string, p: string) => login(u, p) } }))

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div>portal</div>' } },
      { path: '/login', component: LoginPage },
      { path: '/office/:rest(.*)*', component: { template: '<div>office</div>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(LoginPage, {
    global: { plugins: [[ElementPlus, { locale: zhCn }], router] },
    attachTo: document.body,
  })
  return { wrapper, router }
}

type Wrapper = Awaited<ReturnType<typeof mountAt>>['wrapper']

async function fill(wrapper: Wrapper, username: string, password: string) {
  await wrapper.get('input[data-testid="login-username"]').setValue(username)
  await wrapper.get('input[data-testid="login-password"]').setValue(password)
}

async function submit(wrapper: Wrapper) {
  await wrapper.get('form').trigger('submit')
  // Element Plus validates asynchronously (async-validator); let it settle.
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

// Element Plus shows a field's message 100 ms after validation (debounced), so poll.
async function expectFieldErrors(wrapper: Wrapper, want: string[]) {
  await vi.waitFor(() => {
    expect(wrapper.findAll('.el-form-item__error').map((e) => e.text())).toEqual(want)
  })
}

describe('LoginPage', () => {
  beforeEach(() => {
    login.mockReset()
    document.body.innerHTML = ''
  })

  it('has Chinese labels', async () => {
    const { wrapper } = await mountAt('/login')
    const labels = wrapper.findAll('.el-form-item__label').map((l) => l.text())
    expect(labels).toEqual(['用户名', '密码'])
    expect(wrapper.get('[data-testid="login-submit"]').text()).toBe('登录')
  })

  it('requires username and password', async () => {
    const { wrapper } = await mountAt('/login')
    await submit(wrapper)
    await expectFieldErrors(wrapper, ['请输入用户名', '请输入密码'])
    expect(login).not.toHaveBeenCalled()
  })

  it('treats a blank username as missing', async () => {
    const { wrapper } = await mountAt('/login')
    await fill(wrapper, '   ', 'secret')
    await submit(wrapper)
    await expectFieldErrors(wrapper, ['请输入用户名'])
    expect(login).not.toHaveBeenCalled()
  })

  it('logs in and goes to the redirect target', async () => {
    login.mockResolvedValue(undefined)
    const { wrapper, router } = await mountAt('/login?redirect=/office/documents')
    await fill(wrapper, ' staff ', 'secret')
    await submit(wrapper)
    expect(login).toHaveBeenCalledWith('staff', 'secret')
    expect(router.currentRoute.value.fullPath).toBe('/office/documents')
  })

  it('ignores a redirect to another site', async () => {
    login.mockResolvedValue(undefined)
    const { wrapper, router } = await mountAt('/login?redirect=//evil.example/x')
    await fill(wrapper, 'staff', 'secret')
    await submit(wrapper)
    expect(router.currentRoute.value.fullPath).toBe('/office')
  })

  it("shows the server's Chinese detail on failure", async () => {
    login.mockRejectedValue(
      new ApiError({ status: 401, title: 'Unauthorized', code: 'invalid_credentials', detail: '用户名或密码错误' }),
    )
    const { wrapper, router } = await mountAt('/login')
    await fill(wrapper, 'staff', 'wrong')
    await submit(wrapper)
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('用户名或密码错误')
    expect(router.currentRoute.value.path).toBe('/login')
    // The wrong password is cleared for the next try.
    expect((wrapper.get('input[data-testid="login-password"]').element as HTMLInputElement).value).toBe('')
  })

  it('shows when a locked account unlocks (423)', async () => {
    login.mockRejectedValue(
      new ApiError({
        status: 423,
        code: 'account_locked',
        detail: '登录失败次数过多，账户已锁定',
        lockedUntil: '2026-11-25T12:15:00Z',
      }),
    )
    const { wrapper } = await mountAt('/login')
    await fill(wrapper, 'staff', 'wrong')
    await submit(wrapper)
    const text = wrapper.get('[data-testid="login-error"]').text()
    expect(text).toContain('登录失败次数过多，账户已锁定')
    expect(text).toContain('解锁时间：2026-11-25 20:15:00')
  })

  it('shows server field errors on the fields', async () => {
    login.mockRejectedValue(
      new ApiError({ status: 400, detail: '输入有误', errors: [{ field: 'username', message: '用户名格式不正确' }] }),
    )
    const { wrapper } = await mountAt('/login')
    await fill(wrapper, 'st aff', 'x')
    await submit(wrapper)
    await expectFieldErrors(wrapper, ['用户名格式不正确'])
  })
})
