// How a seal's keys and a verification read in Chinese.

import type { SealReport } from './api'

type Tag = 'success' | 'warning' | 'danger' | 'info'

export const KEY_STATES: Record<string, [label: string, tag: Tag]> = {
  active: ['启用', 'success'],
  rotated: ['已更换', 'info'],
  revoked: ['已吊销', 'danger'],
  unknown: ['未知', 'warning'],
}

export function keyState(state: string): [string, Tag] {
  return KEY_STATES[state] ?? [state, 'info']
}

/** The verdict on a verified file: its headline and colour. */
export function verdict(r: SealReport): { title: string; type: 'success' | 'error' | 'warning' } {
  if (r.valid && r.keyState === 'active') return { title: '印章有效，文件自盖章后未被改动', type: 'success' }
  if (r.valid) return { title: `印章有效（盖章所用密钥${keyState(r.keyState)[0]}），文件自盖章后未被改动`, type: 'success' }
  if (!r.intact) return { title: '验证失败：文件在盖章后被改动，或印章无法验证', type: 'error' }
  return { title: '验证失败', type: 'warning' }
}
