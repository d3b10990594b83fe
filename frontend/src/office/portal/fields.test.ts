import { describe, expect, it } from 'vitest'
import { DOC_NUMBER_RE, emptyModel, formFieldErrors, fromFields, normalizeDocNumber, splitList, toFields, validateModel } from './fields'

describe('toFields', () => {
  it('builds a policy file with its metadata, dates in China Standard Time and typed links', () => {
    const m = {
      ...emptyModel(),
      title: ' 关于做好2026年政务公开工作的通知 ',
      body: '<p>正文</p>',
      docNumber: '皖政办〔2026〕12号',
      issuers: '省人民政府办公厅、省财政厅',
      writtenAt: '2026-03-01',
      amends: ['doc-1'],
      subtitle: 'not for policies',
    }
    expect(toFields('policy', m)).toEqual({
      title: '关于做好2026年政务公开工作的通知',
      body: '<p>正文</p>',
      docNumber: '皖政办〔2026〕12号',
      issuers: ['省人民政府办公厅', '省财政厅'],
      genre: '通知',
      writtenAt: '2026-03-01',
      validity: '有效',
      links: { amends: ['doc-1'] },
    })
  })

  it('keeps only the type’s fields for an article and a speech', () => {
    const m = { ...emptyModel(), title: 'T', subtitle: 'S', docNumber: 'x', leader: '王建国', date: '2026-05-01' }
    expect(toFields('article', m)).toEqual({ title: 'T', subtitle: 'S' })
    expect(toFields('article', { ...m, interprets: ['p1'], amends: ['p2'] })).toEqual({
      title: 'T',
      subtitle: 'S',
      links: { interprets: ['p1'] },
    })
    expect(toFields('speech', m)).toEqual({ title: 'T', leader: '王建国', date: '2026-05-01' })
  })

  it('round-trips through fromFields', () => {
    const m = { ...emptyModel(), title: 'T', docNumber: '皖政〔2025〕3号', issuers: '省人民政府', writtenAt: '2025-12-31', repeals: ['a', 'b'] }
    const back = fromFields(toFields('policy', m))
    expect(back).toMatchObject({ title: 'T', docNumber: '皖政〔2025〕3号', issuers: '省人民政府', writtenAt: '2025-12-31', repeals: ['a', 'b'] })
  })

  it('reads report authors and attachments', () => {
    const pdf = { mediaId: 'm1', name: '报告.pdf', size: 1024, type: 'application/pdf' }
    const m = fromFields({ title: 'R', series: '人大复印资料', authors: ['甲', '乙'], attachments: [pdf] })
    expect(m.authors).toBe('甲、乙')
    expect(toFields('report', m)).toEqual({
      title: 'R',
      series: '人大复印资料',
      authors: ['甲', '乙'],
      attachments: [pdf],
    })
  })
})

describe('validation', () => {
  it('checks the 文号 format', () => {
    expect(DOC_NUMBER_RE.test('皖政办〔2026〕12号')).toBe(true)
    expect(DOC_NUMBER_RE.test('皖政办[2026]12号')).toBe(false)
    expect(DOC_NUMBER_RE.test('皖政办〔26〕12号')).toBe(false)
  })

  it('normalises the brackets people type in a 文号', () => {
    expect(normalizeDocNumber('皖政办[2026]012号')).toBe('皖政办〔2026〕12号')
    expect(normalizeDocNumber(' 皖政（2025）3号 ')).toBe('皖政〔2025〕3号')
    expect(normalizeDocNumber('第12号')).toBe('第12号')
    expect(validateModel('policy', { ...emptyModel(), title: 't', docNumber: '皖政办【2026】7号', issuers: '省政府', writtenAt: '2026-01-01' })).toEqual({})
    expect(toFields('policy', { ...emptyModel(), title: 't', docNumber: '皖政办[2026]7号' }).docNumber).toBe('皖政办〔2026〕7号')
  })

  it('reports missing policy fields in Chinese', () => {
    const errs = validateModel('policy', { ...emptyModel(), title: ' ', docNumber: '12号' })
    expect(errs).toEqual({
      title: '请填写标题',
      docNumber: '文号格式应如：皖政办〔2026〕12号',
      issuers: '请填写发文机关',
      writtenAt: '请选择成文日期',
    })
    expect(validateModel('article', { ...emptyModel(), title: 'x' })).toEqual({})
    expect(validateModel('speech', { ...emptyModel(), title: 'x' })).toEqual({
      leader: '请填写领导姓名',
      occasion: '请填写场合',
      date: '请选择日期',
    })
    expect(validateModel('report', { ...emptyModel(), title: 'x' })).toEqual({ issue: '请填写期号', authors: '请填写作者' })
  })

  it('splits lists on Chinese and Latin separators', () => {
    expect(splitList('省政府、 省财政厅，省教育厅,;')).toEqual(['省政府', '省财政厅', '省教育厅'])
  })
})

describe('formFieldErrors', () => {
  it('maps server paths onto form items, first message wins', () => {
    expect(
      formFieldErrors([
        { field: 'fields.docNumber', message: '文号格式不正确' },
        { field: 'fields.policy.docNumber', message: '第二条' },
        { field: 'fields.links.amends[0]', message: '文件不存在' },
        { field: 'Title', message: '标题不能为空' },
        { field: 'changeNote', message: '太长' },
      ]),
    ).toEqual({ docNumber: '文号格式不正确', amends: '文件不存在', title: '标题不能为空', changeNote: '太长' })
    expect(formFieldErrors(undefined)).toEqual({})
  })
})
