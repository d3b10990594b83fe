// Display formatting for portal items: dates in China Standard Time and the
// policy file's metadata table (文号, 发文机关, 文种, dates, 效力状态).

import type { Item } from '../api/portal'
import { OFFICE_TIME_ZONE } from '../api/problem'

/** "2026-03-05" in China Standard Time; '' for missing, invalid or Go's zero time. */
export function formatDate(value: string | null | undefined, timeZone = OFFICE_TIME_ZONE): string {
  if (!value) return ''
  // A plain date needs no time zone arithmetic.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const d = new Date(value)
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1) return ''
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

export interface MetaRow {
  key: string
  label: string
  value: string
}

/** The policy metadata table, in the order readers expect; empty values show as "—". */
export function policyRows(item: Pick<Item, 'policy' | 'publishedAt'>): MetaRow[] {
  const p = item.policy
  if (!p) return []
  const dash = (s: string | undefined) => (s && s.trim() ? s : '—')
  return [
    { key: 'docNumber', label: '文号', value: dash(p.docNumber) },
    { key: 'issuers', label: '发文机关', value: dash((p.issuers ?? []).filter(Boolean).join('、')) },
    { key: 'genre', label: '文种', value: dash(p.genre) },
    { key: 'writtenAt', label: '成文日期', value: dash(formatDate(p.writtenAt)) },
    { key: 'publishedAt', label: '发布日期', value: dash(formatDate(item.publishedAt)) },
    { key: 'effectiveAt', label: '施行日期', value: dash(formatDate(p.effectiveAt)) },
    { key: 'expiresAt', label: '失效日期', value: dash(formatDate(p.expiresAt)) },
    { key: 'validity', label: '效力状态', value: dash(p.validity) },
  ]
}

/** Element Plus tag type for a validity status. */
export function validityTagType(v: string | undefined): 'success' | 'warning' | 'danger' | 'info' {
  switch (v) {
    case '有效':
      return 'success'
    case '已修改':
    case '部分失效':
      return 'warning'
    case '已废止':
    case '已失效':
      return 'danger'
    default:
      return 'info'
  }
}

/** Is the file no longer in force (a banner is shown)? */
export const isVoid = (v: string | undefined) => v === '已废止' || v === '已失效'

/** Chinese names of the typed links, both directions. */
export const LINK_LABELS: Record<string, string> = {
  amends: '本文件修改了',
  repeals: '本文件废止了',
  interprets: '本文解读的文件',
  amendedBy: '被以下文件修改',
  repealedBy: '被以下文件废止',
  interpretedBy: '相关政策解读',
}

export const TYPE_LABELS: Record<string, string> = {
  article: '文章',
  policy: '政策文件',
  speech: '讲话',
  activity: '活动',
  report: '研究报告',
}

/** "1.2 MB" */
export function formatSize(n: number | undefined): string {
  if (!n || n < 0) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** A withdrawal notice ({reason, at}) from an API answer, or null when there is none. */
export function withdrawalOf(v: unknown): { reason: string; at?: string } | null {
  if (!v || typeof v !== 'object') return null
  const o = v as Record<string, unknown>
  if (typeof o.reason !== 'string' || !o.reason) return null
  return { reason: o.reason, at: typeof o.at === 'string' ? o.at : undefined }
}
