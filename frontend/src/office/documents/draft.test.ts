import { describe, expect, it } from 'vitest'
import { errorsByField, formField, newDraft, toInput } from './draft'

describe('draft form → officialdoc.Input', () => {
  it('sends a new 通知 of the office with only what is filled in', () => {
    const f = newDraft('outgoing', 'mishu2')
    f.title = '  关于做好值班工作的通知 '
    f.mainTo = ['各市人民政府', ' ', '各市人民政府', '省政府各部门']
    expect(toInput(f)).toEqual({
      direction: 'outgoing',
      docType: '通知',
      title: '关于做好值班工作的通知',
      classification: '非密',
      issuer: '安徽省人民政府办公厅',
      issuerCode: '皖政办',
      mainTo: ['各市人民政府', '省政府各部门'],
      signature: '安徽省人民政府办公厅',
      printedBy: '安徽省人民政府办公厅秘书处',
      department: 'mishu2',
    })
  })

  it('sends the joint issuers in their order, once each', () => {
    const f = newDraft()
    f.title = 't'
    expect(toInput(f)).not.toHaveProperty('jointIssuers')
    f.jointIssuers = [' 安徽省财政厅', '安徽省数据资源管理局', '安徽省财政厅']
    expect(toInput(f).jointIssuers).toEqual(['安徽省财政厅', '安徽省数据资源管理局'])
  })

  it('keeps 保密期限 and 份号 on a classified document only', () => {
    const f = newDraft()
    f.title = 't'
    f.secrecyPeriod = '1年'
    f.copyNo = '000001'
    expect(toInput(f)).not.toHaveProperty('secrecyPeriod')
    expect(toInput(f)).not.toHaveProperty('copyNo')
    f.classification = '秘密'
    expect(toInput(f)).toMatchObject({ classification: '秘密', secrecyPeriod: '1年', copyNo: '000001' })
  })

  it('sends 紧急程度, dates, people and the body when set; 平件 as no urgency', () => {
    const f = newDraft('incoming')
    f.title = '来文'
    expect(toInput(f)).toEqual({ direction: 'incoming', docType: '通知', title: '来文', classification: '非密' })
    Object.assign(f, { urgency: '特急', writtenOn: '2026-03-02', cosigners: ['u1', 'u2', 'u1'], knowers: ['u3'], body: '<p>正文</p>' })
    expect(toInput(f)).toMatchObject({ urgency: '特急', writtenOn: '2026-03-02', cosigners: ['u1', 'u2'], knowers: ['u3'], body: '<p>正文</p>' })
  })

  it('puts a problem’s errors on the form’s fields, list items on their list', () => {
    expect(formField('mainTo[1]')).toBe('mainTo')
    expect(formField('title')).toBe('title')
    expect(
      errorsByField([
        { field: 'mainTo[0]', message: '主送机关过长' },
        { field: 'mainTo', message: '请示应当一文一事' },
        { field: 'issuerCode', message: '请填写机关代字' },
      ]),
    ).toEqual({ mainTo: '主送机关过长', issuerCode: '请填写机关代字' })
    expect(errorsByField(undefined)).toEqual({})
  })
})

describe('editing a document', () => {
  it('fills the form from the document and sends it back with the version read', async () => {
    const { fromView, toUpdate } = await import('./draft')
    const view = {
      id: 'd1', direction: 'outgoing', docType: '函', classification: '非密', title: '关于商请的函', body: '<p>正文</p>', mainTo: ['省数据资源管理局'],
      issuer: '安徽省人民政府办公厅', issuerCode: '皖政办', department: 'mishu2', drafter: 'u1', drafterName: '张', state: 'draft',
      attachments: ['m1', 'm2'], createdAt: '', updatedAt: '', revision: 1, sealed: true, seq: 3, version: 4,
    } as unknown as import('./api').DocView
    const u = toUpdate(fromView(view), view.version)
    expect(u).toMatchObject({ version: 4, docType: '函', title: '关于商请的函', body: '<p>正文</p>', attachments: ['m1', 'm2'], department: 'mishu2' })
    expect(u).not.toHaveProperty('copyNo')
  })
})
