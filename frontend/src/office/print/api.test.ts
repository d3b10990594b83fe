import { describe, expect, it } from 'vitest'
import { nextSteps } from './api'

const doc = { kind: 'document' as const, state: 'claimed', operator: 'u1', proofread: undefined, sealCheck: undefined }

describe('nextSteps', () => {
  it('offers a queued job to every operator', () => {
    expect(nextSteps({ ...doc, state: 'queued', operator: undefined }, 'u2')).toContain('claim')
  })
  it('withholds print and done from a 公文 until proofread and seal check passed', () => {
    expect(nextSteps(doc, 'u1')).not.toContain('done')
    const proofread = { by: 'u1', byName: '赵文印', at: '', ok: true }
    expect(nextSteps({ ...doc, proofread }, 'u1')).not.toContain('done')
    const sealCheck = { by: 'u1', byName: '赵文印', at: '', ok: false, report: { valid: false, intact: true, unit: '', unitName: '', keyId: '', keyState: 'unknown', signer: '', signerName: '', signedAt: '', problems: ['文件未加盖电子印章'] } }
    expect(nextSteps({ ...doc, proofread, sealCheck }, 'u1')).not.toContain('done')
    expect(nextSteps({ ...doc, proofread, sealCheck: { ...sealCheck, ok: true } }, 'u1')).toEqual(
      expect.arrayContaining(['print', 'done']),
    )
  })
  it('lets an ordinary job be finished without checks', () => {
    expect(nextSteps({ ...doc, kind: 'ordinary' }, 'u1')).toContain('done')
  })
  it('gives another operator nothing on a claimed job', () => {
    expect(nextSteps(doc, 'u2')).toEqual([])
  })
})
