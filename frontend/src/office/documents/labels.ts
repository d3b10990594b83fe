// The 公文 vocabulary in Chinese: states, directions, 紧急程度, and how a
// list row or task says where a document is.

import { classificationTagType } from '../info/labels'
import type { DocTask } from './api'

export { classificationTagType }

export const STATES = [
  { value: 'draft', label: '草稿', tag: 'info' },
  { value: 'processing', label: '办理中', tag: 'warning' },
  { value: 'completed', label: '办结', tag: 'success' },
  { value: 'terminated', label: '已终止', tag: 'danger' },
] as const

export const stateLabel = (s?: string) => STATES.find((x) => x.value === s)?.label ?? s ?? ''
export const stateTag = (s?: string) => STATES.find((x) => x.value === s)?.tag ?? 'info'

export const DIRECTIONS = { outgoing: '发文', incoming: '收文' } as const
export const directionLabel = (d?: string) => DIRECTIONS[d as keyof typeof DIRECTIONS] ?? d ?? ''

/** 紧急程度: '' is 平件 (not marked on the document). */
export const URGENCIES = ['特急', '加急'] as const
export const urgencyLabel = (u?: string) => u || '平件'

export const CLASSIFICATIONS = ['非密', '秘密', '机密'] as const

/** 密级★保密期限 as GB/T 9704 marks it (非密 is not marked). */
export function classificationMark(c?: string, period?: string): string {
  if (!c || c === '非密') return ''
  return period ? `${c}★${period}` : c
}

/** The nodes a document's open tasks are at, each once, in order (审核、会签). */
export function currentNodes(tasks: readonly DocTask[] | undefined): string {
  const names: string[] = []
  for (const t of tasks ?? []) if (!names.includes(t.nodeName)) names.push(t.nodeName)
  return names.join('、')
}

/** Seconds as 用时: "3天2小时", "5小时12分", "8分钟", "不足1分钟". */
export function duration(seconds: number | undefined): string {
  if (!seconds || seconds < 60) return seconds ? '不足1分钟' : ''
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d) return `${d}天${h ? `${h}小时` : ''}`
  if (h) return `${h}小时${m ? `${m}分` : ''}`
  return `${m}分钟`
}

export const ACTION_LABELS: Record<string, string> = {
  start: '提交',
  approve: '同意',
  return: '退回',
  withdraw: '撤回',
  transfer: '转办',
  cosign: '加签',
  urge: '催办',
  terminate: '终止',
}
export const actionLabel = (a: string) => ACTION_LABELS[a] ?? a
