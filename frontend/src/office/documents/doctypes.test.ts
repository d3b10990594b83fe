import { describe, expect, it } from 'vitest'
import { DOC_TYPES, docTypeRule, ruleProblems } from './doctypes'
import type { DocInput } from './api'

describe('文种 rules', () => {
  it('lists the 15 types of the 2012 regulation, each once', () => {
    const all: DocInput['docType'][] = ['决议', '决定', '命令', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '请示', '批复', '议案', '函', '纪要']
    expect(DOC_TYPES.map((d) => d.type)).toEqual(all)
  })

  it('says 请示 is one matter to one principal recipient and needs a 签发人, 纪要 carry no seal', () => {
    expect(docTypeRule('请示')).toMatchObject({ oneMainTo: true, needsSigner: true })
    expect(docTypeRule('请示')!.rules).toEqual(expect.arrayContaining(['一文一事']))
    expect(docTypeRule('纪要')).toMatchObject({ noSeal: true, rules: ['不加盖印章'] })
    expect(docTypeRule('通知')!.oneMainTo).toBeFalsy()
    expect(docTypeRule('公文')).toBeUndefined()
  })

  it('marks 主送 when a 请示 goes to more than one body, blank entries not counted', () => {
    expect(ruleProblems({ docType: '请示', mainTo: ['省人民政府', '国务院办公厅'] }).mainTo).toMatch(/一文一事/)
    expect(ruleProblems({ docType: '请示', mainTo: ['省人民政府', ' '] })).toEqual({})
    expect(ruleProblems({ docType: '通知', mainTo: ['各市人民政府', '省政府各部门'] })).toEqual({})
  })
})
