// The information platform's vocabulary in Chinese, and which workflow steps a
// reader may take on an item (the server decides; this only hides buttons
// that would certainly be refused).

import type { InfoItem } from '../../api/info'

export const KINDS = [
  { value: 'notice', label: '通知公告' },
  { value: 'briefing', label: '简报' },
  { value: 'update', label: '工作动态' },
  { value: 'internal', label: '内部文件' },
] as const

export const AUDIENCES = [
  { value: 'department', label: '本处室' },
  { value: 'office', label: '全办' },
  { value: 'portal', label: '门户' },
] as const

export const CLASSIFICATIONS = ['非密', '秘密', '机密'] as const

/** Only 非密 items may ever go to the portal (the gateway's release policy). */
export const PORTAL_CLASSIFICATION = '非密'

export const STATES = [
  { value: 'draft', label: '草稿' },
  { value: 'submitted', label: '待审核' },
  { value: 'published', label: '已发布' },
  { value: 'rejected', label: '已退回' },
  { value: 'withdrawn', label: '已撤回' },
] as const

const label = (list: ReadonlyArray<{ value: string; label: string }>, v: string | undefined) =>
  list.find((x) => x.value === v)?.label ?? v ?? ''

export const kindLabel = (v?: string) => label(KINDS, v)
export const audienceLabel = (v?: string) => label(AUDIENCES, v)
export const stateLabel = (v?: string) => label(STATES, v)

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export function stateTagType(state?: string): TagType {
  switch (state) {
    case 'published':
      return 'success'
    case 'submitted':
      return 'warning'
    case 'rejected':
    case 'withdrawn':
      return 'danger'
    default:
      return 'info'
  }
}

/** 密级 tag: 非密 plain, 秘密 orange, 机密 red; anything unknown is treated as classified. */
export function classificationTagType(c?: string): TagType {
  if (c === '非密') return 'info'
  if (c === '秘密') return 'warning'
  return 'danger'
}

export const isClassified = (c?: string) => c !== PORTAL_CLASSIFICATION

/** Where an item stands on its way to the portal, in one phrase. */
export function portalStatus(it: Pick<InfoItem, 'audience' | 'classification' | 'state' | 'revision' | 'portal'>): string {
  if (it.audience !== 'portal') return ''
  if (isClassified(it.classification)) return `${it.classification}信息不能发布到门户`
  const p = it.portal
  if (!p?.designated || !p.channel) return '待指定门户栏目'
  if (it.state !== 'published') return '待全办审核'
  if (!p.approved || p.approvedRevision !== it.revision) return '待门户发布审批'
  if (p.embargoUntil && Date.parse(p.embargoUntil) > Date.now()) return '已批准，等待解禁时间'
  return '已批准发布到门户'
}

/** What the signed-in reader holds, as far as the info workflow cares. */
export interface Abilities {
  edit: boolean
  review: boolean
  publish: boolean
}

export function abilitiesOf(permissions: readonly string[] | undefined): Abilities {
  const p = permissions ?? []
  return {
    edit: p.includes('info.item.edit'),
    review: p.includes('info.item.review'),
    publish: p.includes('portal.item.publish'),
  }
}

export interface ItemActions {
  edit: boolean
  submit: boolean
  approve: boolean
  reject: boolean
  withdraw: boolean
  designate: boolean
  portalApprove: boolean
  portalRevoke: boolean
}

/** The steps worth offering on an item to a reader with these abilities. */
export function actionsFor(it: InfoItem, a: Abilities): ItemActions {
  const s = it.state
  const portalOk = it.audience === 'portal' && !isClassified(it.classification) && s !== 'withdrawn'
  const p = it.portal
  const approvedNow = !!p?.approved && p.approvedRevision === it.revision
  return {
    edit: a.edit,
    submit: a.edit && (s === 'draft' || s === 'rejected'),
    approve: a.review && s === 'submitted',
    reject: a.review && s === 'submitted',
    withdraw: (a.review || a.edit) && (s === 'published' || s === 'submitted'),
    // The department's editor designates (the server checks info.item.edit on the department).
    designate: portalOk && a.edit,
    portalApprove: portalOk && a.publish && s === 'published' && !!p?.designated && !!p.channel && !approvedNow,
    portalRevoke: a.publish && !!p?.approved && s !== 'withdrawn',
  }
}

