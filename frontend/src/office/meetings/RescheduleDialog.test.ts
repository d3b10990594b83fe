import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { ApiError } from '../../api/problem'

const request = vi.fn()
vi.mock('../../auth/session', () => ({ client: { request: (path: string, o?: unknown) => request(path, o) } }))

const { default: RescheduleDialog } = await import('./RescheduleDialog.vue')

const meeting = {
  id: 'm1', title: '专题会', roomId: 'conf-60', roomName: '第一会议室', startAt: '2027-03-02T01:00:00Z', endAt: '2027-03-02T03:00:00Z',
  attendees: [], departments: [], agenda: [], materials: [], state: 'scheduled',
}
const rooms = { items: [{ id: 'conf-60', name: '第一会议室', capacity: 60, active: true, equipment: [] }, { id: 'small-201', name: '201小会议室', capacity: 12, active: true, equipment: [] }] }

describe('RescheduleDialog', () => {
  it('sends the new time and room, lists the conflicts of a 409 and offers to go ahead past an attendee conflict', async () => {
    const conflict = { kind: 'meeting', userId: 'u1', name: '王建国', title: '另一个会', startAt: '2027-03-02T06:00:00Z', endAt: '2027-03-02T07:00:00Z' }
    request.mockImplementation((path: string) => {
      if (path === '/api/office/v1/meetings/rooms') return Promise.resolve(rooms)
      if (path === '/api/office/v1/meetings/m1/reschedule')
        return Promise.reject(new ApiError({ status: 409, code: 'meeting_conflict', title: 'Conflict', messageZh: '时间冲突', conflicts: [conflict],
          errors: [{ field: 'attendees', message: '王建国有会议「另一个会」' }] } as never))
      return Promise.reject(new Error(`unexpected ${path}`))
    })
    const w = mount(RescheduleDialog, { props: { modelValue: true, meeting: meeting as never }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    await w.findComponent({ name: 'ElDialog' }).vm.$emit('open')
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="reschedule-submit"]')!.click()
    await flushPromises()
    const [path, o] = request.mock.calls.find(([p]) => p === '/api/office/v1/meetings/m1/reschedule')!
    expect(path).toBe('/api/office/v1/meetings/m1/reschedule')
    expect(o.body).toMatchObject({ roomId: 'conf-60', startAt: meeting.startAt, endAt: meeting.endAt, allowAttendeeConflicts: false })
    const list = document.querySelector('[data-testid="reschedule-conflicts"]')
    expect(list?.textContent).toContain('王建国')
    expect(list?.textContent).toContain('另一个会')
    expect(document.querySelector('[data-testid="reschedule-allow"]')).not.toBeNull()
    w.unmount()
  })
})
