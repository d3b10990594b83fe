// Query strings for the delivery API's item lists, and the channel page's
// filter state as kept in the page URL (so back/forward and shared links work).

export const SORTS = [
  { value: '-publishedAt', label: '发布时间（新→旧）' },
  { value: 'publishedAt', label: '发布时间（旧→新）' },
  { value: 'title', label: '标题' },
  { value: '-updatedAt', label: '最近更新' },
] as const

export const DEFAULT_SORT = '-publishedAt'
/** The delivery API's ?status= for lists that include withdrawn items (they leave lists by default). */
export const WITH_WITHDRAWN = 'published,withdrawn'
export const VALIDITIES = ['有效', '已修改', '部分失效', '已废止', '已失效'] as const
export const GENRES = ['通知', '意见', '办法', '规定', '决定', '通告', '公告', '批复', '方案', '规划', '函', '纪要'] as const

export interface ItemFilters {
  channel?: string
  type?: string
  genre?: string
  issuer?: string
  year?: string | number
  validity?: string
  /** publishedAt from/to, YYYY-MM-DD */
  from?: string
  to?: string
  department?: string
  /** Which items: published (default) or, with WITH_WITHDRAWN, withdrawn ones too. */
  status?: string
  sort?: string
  size?: number
  cursor?: string
  fields?: string[]
}

// Fixed order keeps URLs (and caches) stable.
const ORDER: Array<keyof ItemFilters> = [
  'channel', 'type', 'genre', 'issuer', 'year', 'validity', 'from', 'to', 'department', 'status', 'sort', 'size', 'cursor', 'fields',
]

/** "channel=files&genre=%E9%80%9A%E7%9F%A5&size=20": empty values are left out, and the default sort too. */
export function buildItemQuery(f: ItemFilters): string {
  const q = new URLSearchParams()
  for (const k of ORDER) {
    const v = f[k]
    if (v === undefined || v === null) continue
    if (k === 'sort' && v === DEFAULT_SORT) continue
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(','))
      continue
    }
    const s = String(v).trim()
    if (s) q.set(k, s)
  }
  return q.toString()
}

type RouteQuery = Record<string, string | null | undefined | Array<string | null>>

const first = (v: RouteQuery[string]): string => {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' ? x : ''
}

/** The user-set filters of the channel page, read from its URL query. */
export interface PageFilters {
  genre: string
  issuer: string
  year: string
  validity: string
  from: string
  to: string
  /** '' (published items) or WITH_WITHDRAWN. */
  status: string
  sort: string
}

export function filtersFromQuery(q: RouteQuery): PageFilters {
  const year = first(q.year)
  const date = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : '')
  return {
    genre: first(q.genre),
    issuer: first(q.issuer),
    year: /^\d{4}$/.test(year) ? year : '',
    validity: first(q.validity),
    from: date(first(q.from)),
    to: date(first(q.to)),
    status: first(q.status) === WITH_WITHDRAWN ? WITH_WITHDRAWN : '',
    sort: SORTS.some((s) => s.value === first(q.sort)) ? first(q.sort) : DEFAULT_SORT,
  }
}

/** The URL query for the filters: only what is set. */
export function filtersToQuery(f: PageFilters): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(f)) {
    if (v && !(k === 'sort' && v === DEFAULT_SORT)) out[k] = v
  }
  return out
}

/** Years offered in the year filter: this year back to `back` years ago. */
export function recentYears(now = new Date(), back = 10): string[] {
  const y = now.getFullYear()
  return Array.from({ length: back + 1 }, (_, i) => String(y - i))
}
