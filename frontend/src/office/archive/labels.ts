// How the archive's values read in the SPA.

export const RETENTIONS = ['永久', '定期30年', '定期10年'] as const

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

const STATUS: Record<string, [string, TagType]> = {
  valid: ['有效', 'success'],
  revoked: ['已撤销', 'danger'],
  abolished: ['已废止', 'warning'],
}
const FIXITY: Record<string, [string, TagType]> = {
  unchecked: ['未检查', 'info'],
  intact: ['完好', 'success'],
  broken: ['校验不符', 'danger'],
}
const EVENTS: Record<string, string> = {
  archived: '归档',
  revoked: '撤销',
  abolished: '废止',
  appraised: '鉴定',
  fixity: '完整性检查',
  imported: '导入',
}
const PARTS: Record<string, string> = {
  document: '公文（JSON）',
  revisions: '正文修改版本',
  flow: '流转记录和意见',
  pdf: '版式文件（PDF）',
  attachment: '附件',
  original: '原件（导入）',
}
const DECISIONS: Record<string, string> = { keep: '继续保存', destroy: '拟销毁' }

export const statusLabel = (s: string): string => STATUS[s]?.[0] ?? s
export const statusTag = (s: string): TagType => STATUS[s]?.[1] ?? 'info'
export const fixityLabel = (s: string): string => FIXITY[s]?.[0] ?? s
export const fixityTag = (s: string): TagType => FIXITY[s]?.[1] ?? 'info'
export const eventLabel = (k: string): string => EVENTS[k] ?? k
export const partLabel = (k: string): string => PARTS[k] ?? k
export const decisionLabel = (d?: string): string => (d ? (DECISIONS[d] ?? d) : '')
const DIRECTIONS: Record<string, string> = { incoming: '收文', outgoing: '发文', imported: '导入' }
export const directionLabel = (d: string): string => DIRECTIONS[d] ?? d

/** A digest shortened for a table: its first and last eight hex digits. */
export const shortSum = (s: string): string => (s.length > 20 ? `${s.slice(0, 8)}…${s.slice(-8)}` : s)

/** A file size in the units people read. */
export function sizeLabel(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
