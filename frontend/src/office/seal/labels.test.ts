import { describe, expect, it } from 'vitest'
import { keyState, verdict } from './labels'
import type { SealReport } from './api'

const report = (r: Partial<SealReport>): SealReport => ({
  valid: true, intact: true, unit: 'office', unitName: '省政府办公厅', keyId: 'k1', keyState: 'active', signer: 'u1',
  signerName: '赵文印', signedAt: '2026-03-05T01:00:00Z', problems: [], ...r,
})

describe('seal labels', () => {
  it('names the key states in Chinese', () => {
    expect(keyState('rotated')).toEqual(['已更换', 'info'])
    expect(keyState('revoked')[0]).toBe('已吊销')
    expect(keyState('odd')).toEqual(['odd', 'info'])
  })

  it('says a changed file failed, and a rotated key still verifies', () => {
    expect(verdict(report({})).type).toBe('success')
    expect(verdict(report({ keyState: 'rotated' })).title).toContain('已更换')
    expect(verdict(report({ valid: false, intact: false })).type).toBe('error')
    expect(verdict(report({ valid: false, intact: true, keyState: 'revoked' })).type).toBe('warning')
  })
})
