// The editor's form: one flat model for every content type, turned into the
// management API's `fields` object for the chosen type (and back), plus the
// Chinese labels and the mapping of server field errors onto form items.

import type { DocFields } from '../../api/manage'
import type { Attachment } from '../../api/portal'
import { formatDate } from '../../portal/format'

export const CONTENT_TYPES = [
  { value: 'article', label: '文章' },
  { value: 'policy', label: '政策文件' },
  { value: 'speech', label: '讲话' },
  { value: 'activity', label: '活动' },
  { value: 'report', label: '研究报告' },
] as const

export const STATE_LABELS: Record<string, string> = {
  draft: '草稿',
  in_review: '审核中',
  scheduled: '已排期',
  published: '已发布',
  withdrawn: '已撤回',
  redirected: '已重定向',
  gone: '已删除',
}

export const REPORT_SERIES = ['国研报告', '人大复印资料'] as const

export interface FormModel {
  title: string
  subtitle: string
  summary: string
  body: string
  source: string
  author: string
  cover: string
  docNumber: string
  /** Issuing bodies, separated by 、 or commas (joint issuance). */
  issuers: string
  genre: string
  /** YYYY-MM-DD */
  writtenAt: string
  effectiveAt: string
  expiresAt: string
  validity: string
  amends: string[]
  repeals: string[]
  interprets: string[]
  leader: string
  occasion: string
  date: string
  place: string
  series: string
  issue: string
  authors: string
  attachments: Attachment[]
}

export function emptyModel(): FormModel {
  return {
    title: '', subtitle: '', summary: '', body: '', source: '', author: '', cover: '',
    docNumber: '', issuers: '', genre: '通知', writtenAt: '', effectiveAt: '', expiresAt: '', validity: '有效',
    amends: [], repeals: [], interprets: [],
    leader: '', occasion: '', date: '', place: '',
    series: '国研报告', issue: '', authors: '', attachments: [],
  }
}

/** Which form items each type shows (title and body are always there). */
export const TYPE_FIELDS: Record<string, Array<keyof FormModel>> = {
  // An article in 政策解读 may name the policy files it interprets.
  article: ['subtitle', 'summary', 'source', 'author', 'cover', 'interprets'],
  policy: ['summary', 'source', 'docNumber', 'issuers', 'genre', 'writtenAt', 'effectiveAt', 'expiresAt', 'validity', 'amends', 'repeals', 'interprets', 'attachments'],
  speech: ['summary', 'leader', 'occasion', 'date', 'place', 'attachments'],
  activity: ['summary', 'leader', 'occasion', 'date', 'place', 'cover'],
  report: ['summary', 'series', 'issue', 'authors', 'attachments'],
}

export const shows = (type: string, f: keyof FormModel) => (TYPE_FIELDS[type] ?? []).includes(f)

export const FIELD_LABELS: Record<string, string> = {
  title: '标题', subtitle: '副标题', summary: '摘要', body: '正文', source: '来源', author: '作者', cover: '封面图',
  docNumber: '文号', issuers: '发文机关', genre: '文种', writtenAt: '成文日期', publishAt: '发布日期',
  effectiveAt: '施行日期', expiresAt: '失效日期', validity: '效力状态',
  amends: '修改的文件', repeals: '废止的文件', interprets: '解读的文件', links: '关联文件',
  leader: '领导', occasion: '场合', date: '日期', place: '地点',
  series: '系列', issue: '期号', authors: '作者', attachments: '附件', changeNote: '修改说明',
  channel: '栏目', department: '部门', type: '类型',
}

/** 文号: issuer abbreviation, 〔year〕, number, 号 — e.g. 皖政办〔2026〕12号. */
export const DOC_NUMBER_RE = /^[\u4e00-\u9fa5]+〔\d{4}〕\d+号$/

const DOC_NUMBER_LOOSE = /^\s*([\u4e00-\u9fa5]{1,20})\s*[[(（【［〔]\s*(\d{4})\s*[\])）】］〕]\s*0*(\d{1,5})\s*号\s*$/

/** A 文号 typed with [2026], (2026), （2026） or 【2026】 in the standard 〔2026〕 form (as the server does). */
export function normalizeDocNumber(s: string): string {
  const m = DOC_NUMBER_LOOSE.exec(s)
  return m ? `${m[1]}〔${m[2]}〕${m[3]}号` : s.trim()
}

export const splitList = (s: string) =>
  s
    .split(/[、,，;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/**
 * A date picked in the form (YYYY-MM-DD) as sent to the API: as it is (the
 * server reads it in China Standard Time and keeps what the editor typed, so
 * edition diffs show it unchanged).
 */
export const toApiDate = (d: string) => d

/** The `fields` object for the type: only the type's fields, empty ones left out. */
export function toFields(type: string, m: FormModel): DocFields {
  const out: DocFields = { title: m.title.trim() }
  // k is one of the type's fields (TYPE_FIELDS), each a key of DocFields.
  const byName = out as Record<string, unknown>
  const put = (k: string, v: unknown) => {
    if (v === '' || v === undefined || (Array.isArray(v) && v.length === 0)) return
    byName[k] = typeof v === 'string' ? v.trim() : v
  }
  put('body', m.body)
  const want = TYPE_FIELDS[type] ?? []
  for (const k of want) {
    switch (k) {
      case 'issuers':
      case 'authors':
        put(k, splitList(m[k]))
        break
      case 'writtenAt':
      case 'effectiveAt':
      case 'expiresAt':
      case 'date':
        put(k, toApiDate(m[k]))
        break
      case 'amends':
      case 'repeals':
      case 'interprets':
        break
      case 'attachments':
        put(k, m.attachments.map((a) => ({ ...a })))
        break
      case 'docNumber':
        put(k, normalizeDocNumber(m.docNumber))
        break
      default:
        put(k, m[k])
    }
  }
  const links: NonNullable<DocFields['links']> = {}
  for (const k of ['amends', 'repeals', 'interprets'] as const) {
    if (want.includes(k) && m[k].length) links[k] = [...m[k]]
  }
  if (Object.keys(links).length) out.links = links
  return out
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** The form model from a document's fields (as the API returns them). */
export function fromFields(f: DocFields | null | undefined): FormModel {
  const m = emptyModel()
  if (!f) return m
  for (const k of ['title', 'subtitle', 'summary', 'body', 'source', 'author', 'cover', 'docNumber', 'genre', 'validity', 'leader', 'occasion', 'place', 'series', 'issue'] as const) {
    if (typeof f[k] === 'string' && f[k]) m[k] = f[k] as string
  }
  for (const k of ['writtenAt', 'effectiveAt', 'expiresAt', 'date'] as const) m[k] = formatDate(str(f[k]))
  m.issuers = strs(f.issuers).join('、')
  m.authors = strs(f.authors).join('、')
  m.amends = strs(f.links?.amends)
  m.repeals = strs(f.links?.repeals)
  m.interprets = strs(f.links?.interprets)
  m.attachments = Array.isArray(f.attachments) ? f.attachments.filter((a) => a && typeof a === 'object') : []
  return m
}

/**
 * Server field errors keyed by form item: "fields.policy.docNumber",
 * "fields.docNumber" and "docNumber" all land on docNumber;
 * "fields.links.amends[0]" on amends.
 */
export function formFieldErrors(errors: Array<{ field: string; message: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of errors ?? []) {
    if (!e?.field) continue
    const parts = e.field.replace(/\[\d+\]/g, '').split('.').filter(Boolean)
    const key = parts[parts.length - 1] ?? e.field
    const name = key.charAt(0).toLowerCase() + key.slice(1)
    if (!(name in out)) out[name] = e.message
  }
  return out
}

/** Client-side checks before a save; the server validates again. */
export function validateModel(type: string, m: FormModel): Record<string, string> {
  const errs: Record<string, string> = {}
  if (!m.title.trim()) errs.title = '请填写标题'
  if (type === 'policy') {
    if (!m.docNumber.trim()) errs.docNumber = '请填写文号'
    else if (!DOC_NUMBER_RE.test(normalizeDocNumber(m.docNumber))) errs.docNumber = '文号格式应如：皖政办〔2026〕12号'
    if (!splitList(m.issuers).length) errs.issuers = '请填写发文机关'
    if (!m.writtenAt) errs.writtenAt = '请选择成文日期'
    if (m.effectiveAt && m.expiresAt && m.expiresAt <= m.effectiveAt) errs.expiresAt = '失效日期必须晚于施行日期'
    if (m.writtenAt && m.effectiveAt && m.effectiveAt < m.writtenAt) errs.effectiveAt = '施行日期不能早于成文日期'
  }
  if (type === 'speech' || type === 'activity') {
    if (!m.leader.trim()) errs.leader = '请填写领导姓名'
    if (!m.occasion.trim()) errs.occasion = '请填写场合'
    if (!m.date) errs.date = '请选择日期'
  }
  if (type === 'report') {
    if (!m.issue.trim()) errs.issue = '请填写期号'
    if (!splitList(m.authors).length) errs.authors = '请填写作者'
  }
  return errs
}
