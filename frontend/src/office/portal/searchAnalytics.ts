// 搜索分析: the search API's weekly report of what readers searched for, and
// the synonym list editors keep (applied to the next search, no rebuild).
// Shapes from the search API's description.

import type { ApiClient } from '../../api/client'
import { SEARCH_BASE } from '../../api/search'
import type { components } from '../../api/schema/search'

type Schemas = components['schemas']
export type WeekReport = Schemas['AnalyticsWeekReport']
export type QueryCount = Schemas['AnalyticsQueryCount']
export type SynonymList = Schemas['AnalyticsSynonymList']

export const PERM_ANALYTICS = 'search.analytics'
export const PERM_SYNONYMS = 'search.synonyms'

export function weekReport(client: ApiClient, week: string, scope = 'portal'): Promise<WeekReport> {
  const q = new URLSearchParams({ scope })
  if (week) q.set('week', week)
  return client.request<WeekReport>(`${SEARCH_BASE}/analytics/report?${q}`)
}

export function getSynonyms(client: ApiClient): Promise<SynonymList> {
  return client.request<SynonymList>(`${SEARCH_BASE}/synonyms`)
}

export function putSynonyms(client: ApiClient, text: string, version: number): Promise<SynonymList> {
  return client.request<SynonymList>(`${SEARCH_BASE}/synonyms`, { method: 'PUT', body: { text, version } })
}

/** The ISO week (2026-W49) of a day, as the server counts it (China time, Monday first). */
export function isoWeek(d: Date): string {
  // The day in China time, as a UTC date with no time of day.
  const cst = new Date(d.getTime() + 8 * 3600 * 1000)
  const day = new Date(Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth(), cst.getUTCDate()))
  const weekday = (day.getUTCDay() + 6) % 7 // Monday 0
  day.setUTCDate(day.getUTCDate() - weekday + 3) // the week's Thursday decides its year
  const year = day.getUTCFullYear()
  const week = 1 + Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / 86400000 / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The last n ISO weeks up to and including today's, newest first. */
export function recentWeeks(today: Date, n: number): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(isoWeek(new Date(today.getTime() - i * 7 * 86400000)))
  return out
}

/** The synonym text with a new group started for query (a line "query，" at the end), unless a line already starts with it. */
export function withNewGroup(text: string, query: string): string {
  const q = query.trim()
  if (!q) return text
  if (text.split('\n').some((l) => l.trim().split(/[,，、]/)[0]?.trim() === q)) return text
  const base = text.endsWith('\n') || text === '' ? text : `${text}\n`
  return `${base}${q}，`
}

/** The line number a server error names ("第 3 行：…"), or 0. */
export function errorLine(message: string): number {
  const m = /第\s*(\d+)\s*行/.exec(message)
  return m ? Number(m[1]) : 0
}
