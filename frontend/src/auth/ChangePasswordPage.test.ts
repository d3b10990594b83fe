import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '../api/problem'
import ChangePasswordPage from './ChangePasswordPage.vue'

const changePassword = vi.fn()
vi.mock('./session', () => ({
  session: {
    state: { session: { passwordChangeRequired: true, passwordChangeReason: 'reset' } },
    changePassword: (o: string, n: string) => changePassword(o, n),
    logout: vi.fn(),
  },
}))

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/password', component: ChangePasswordPage },
      { path: '/login', component: { template: '<div>login</div>' } },
      { path: '/office/:rest(.*)*', component: { template: '<div>office</div>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(ChangePasswordPage, { global: { plugins: [[ElementPlus, { locale: zhCn }], router] }, attachTo: document.body })
  return { wrapper, router }
}

// Element Plus shows a field's message after a short debounce: poll for it.
async function shows(wrapper: { text(): string }, text: string): Promise<void> {
  for (let i = 0; i < 50 && !wrapper.text().includes(text); i++) await new Promise((r) => setTimeout(r, 20))
  expect(wrapper.text()).toContain(text)
}

describe('change-password page', () => {
  it('says why, checks the confirmation, changes the password and goes where the user was going', async () => {
    const { wrapper, router } = await mountAt('/password?redirect=/office/admin')
    expect(wrapper.get('[data-testid="pw-reason"]').text()).toContain('已被管理员重置')

    await wrapper.get('input[data-testid="pw-old"]').setValue('Chongzhi-Mima-2026')
    await wrapper.get('input[data-testid="pw-new"]').setValue('Ziji-Xuan-2026')
    await wrapper.get('input[data-testid="pw-confirm"]').setValue('Ziji-Xuan-2027')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(changePassword).not.toHaveBeenCalled()
    await shows(wrapper, '两次输入的新密码不一致')

    changePassword.mockRejectedValueOnce(
      new ApiError({ status: 400, code: 'invalid', detail: 'newPassword: 密码过于常见', errors: [{ field: 'newPassword', message: '密码过于常见' }] }),
    )
    await wrapper.get('input[data-testid="pw-confirm"]').setValue('Ziji-Xuan-2026')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await shows(wrapper, '密码过于常见')
    expect(router.currentRoute.value.path).toBe('/password')

    changePassword.mockResolvedValueOnce(undefined)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(changePassword).toHaveBeenLastCalledWith('Chongzhi-Mima-2026', 'Ziji-Xuan-2026')
    expect(router.currentRoute.value.path).toBe('/office/admin')
    wrapper.unmount()
  })
})
