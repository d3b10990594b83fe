import { describe, expect, it } from 'vitest'
import { decideAction, decideProblems, newDecide } from './decide'

describe('批办 form', () => {
  it('maps the choice onto the approve action, the lead left out of the assistants', () => {
    const f = { leadDepartment: 'mishu2', assistDepartments: ['xinxi', 'mishu2', 'xinxi'], deadline: '2026-12-20', readers: ['u1', 'u2', 'u1'] }
    expect(decideAction(f, ' 请秘书二处牵头办理。 ')).toEqual({
      action: 'approve',
      opinion: '请秘书二处牵头办理。',
      leadDepartment: 'mishu2',
      assistDepartments: ['xinxi'],
      deadline: '2026-12-20',
      readers: ['u1', 'u2'],
    })
  })

  it('sends no empty fields', () => {
    expect(decideAction({ ...newDecide(), leadDepartment: 'mishu2', readers: ['u1'] }, '')).toEqual({ action: 'approve', opinion: '', leadDepartment: 'mishu2', readers: ['u1'] })
  })

  it('names the missing lead, readers and a past deadline on their fields', () => {
    expect(decideProblems({ ...newDecide(), deadline: '2026-12-01' }, '2026-12-06')).toEqual({
      leadDepartment: '请选择主办处室',
      deadline: '办理时限不能早于今天',
      readers: '请选择传阅人员',
    })
    expect(decideProblems({ leadDepartment: 'a', assistDepartments: [], deadline: '2026-12-06', readers: ['u'] }, '2026-12-06')).toEqual({})
  })
})
