// What a publisher may do to what readers see (the live edition):
// withdraw it now or at a time, redirect readers elsewhere, remove it.
// The server decides (only an office-wide publisher may); these helpers
// decide what the console offers and how it describes the live state.

import type { DocumentSummary } from '../../api/manage'
import { formatDateTime } from '../../api/problem'
import { STATE_LABELS } from './fields'

export type LiveAction = 'withdraw' | 'schedule' | 'redirect' | 'remove'

export const LIVE_ACTION_LABELS: Record<LiveAction, string> = {
  withdraw: '撤回',
  schedule: '定时撤回',
  redirect: '重定向',
  remove: '删除',
}

/** The permission behind every live action (granted office-wide to publishers). */
export const PUBLISH_PERMISSION = 'portal.item.publish'

type LiveDoc = Pick<DocumentSummary, 'state' | 'live'>

/** What readers see of d: its live state, or '' before its first publication. */
export function liveOf(d: LiveDoc): string {
  if (d.live) return String(d.live)
  return ['published', 'withdrawn', 'redirected', 'gone'].includes(String(d.state)) ? String(d.state) : ''
}

/** The live actions the API allows on d (see docs/portal-api.md). */
export function liveActions(d: LiveDoc): LiveAction[] {
  const live = liveOf(d)
  const out: LiveAction[] = []
  if (live === 'published') out.push('withdraw', 'schedule')
  if (live === 'published' || live === 'withdrawn') out.push('redirect')
  if (live !== 'gone' && d.state !== 'gone') out.push('remove')
  return out
}

/** Whether the signed-in user holds the publish permission anywhere (the server checks the scope). */
export function canPublish(permissions: readonly string[] | undefined): boolean {
  return !!permissions?.includes(PUBLISH_PERMISSION)
}

/** A line for lists: what readers see when it differs from the working state, and a scheduled withdrawal. */
export function liveNote(d: LiveDoc & Pick<DocumentSummary, 'withdrawAt'>): string {
  const parts: string[] = []
  const live = liveOf(d)
  if (live && live !== d.state) parts.push(`线上：${STATE_LABELS[live] ?? live}`)
  if (d.withdrawAt) parts.push(`定时撤回：${formatDateTime(new Date(d.withdrawAt)).slice(0, 16)}`)
  return parts.join('；')
}

/** Checks a withdrawal form; returns field → message ('' fields are fine). */
export function checkWithdrawal(reason: string, at: Date | null, scheduled: boolean, now = new Date()): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!reason.trim()) errors.reason = '请填写撤回原因（将向读者显示）'
  else if (reason.trim().length > 1000) errors.reason = '撤回原因不能超过1000字'
  if (scheduled) {
    if (!at) errors.at = '请选择撤回时间'
    else if (at.getTime() <= now.getTime()) errors.at = '撤回时间须晚于当前时间'
  }
  return errors
}
