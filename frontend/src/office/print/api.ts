// The print room (/api/office/v1/print), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type PrintJob = components['schemas']['PrintJob']
type PrintJobPage = components['schemas']['PrintJobPage']
/** A job as a write returns it: with the feed sequence to read the write back (consistentWith). */
export type PrintJobView = components['schemas']['PrintJobView']
export type PrintRoom = components['schemas']['PrintRoom']
export type SendInput = operations['postPrintJobs']['requestBody']['content']['application/json']
export type ListQuery = NonNullable<operations['getPrintJobs']['parameters']['query']>

const BASE = `${OFFICE_BASE}/print`

/** Every state, with its Chinese name and tag colour. */
export const STATES: Record<string, [label: string, tag: 'primary' | 'warning' | 'success' | 'danger' | 'info']> = {
  queued: ['待印制', 'warning'],
  claimed: ['已领取', 'primary'],
  printing: ['印制中', 'primary'],
  done: ['已完成', 'success'],
  returned: ['已退回', 'danger'],
  cancelled: ['已撤销', 'info'],
}

export const URGENCIES = ['特急', '加急', '平件'] as const

export function listJobs(c: ApiClient, q: ListQuery, consistentWith?: number): Promise<PrintJobPage> {
  const p = new URLSearchParams({ size: '100' })
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && v !== false) p.set(k, String(v))
  if (consistentWith) p.set('consistentWith', String(consistentWith))
  return c.request<PrintJobPage>(`${BASE}/jobs?${p}`)
}

export const getJob = (c: ApiClient, id: string) => c.request<PrintJobView>(`${BASE}/jobs/${encodeURIComponent(id)}`)
export const listRooms = (c: ApiClient) => c.request<PrintRoom[]>(`${BASE}/rooms`)
export const sendJob = (c: ApiClient, body: SendInput) => c.request<PrintJobView>(`${BASE}/jobs`, { body })
/** The job's file (a download, audited by the server). */
export const jobFile = (c: ApiClient, id: string) => c.request<Blob>(`${BASE}/jobs/${encodeURIComponent(id)}/file`, { raw: true })

export type Step = 'claim' | 'release' | 'seal-check' | 'print' | 'done'

export const jobStep = (c: ApiClient, id: string, step: Step, note = '') =>
  c.request<PrintJobView>(`${BASE}/jobs/${encodeURIComponent(id)}/${step}`, { body: step === 'done' ? { note } : {} })
export const proofread = (c: ApiClient, id: string, ok: boolean, note: string) =>
  c.request<PrintJobView>(`${BASE}/jobs/${encodeURIComponent(id)}/proofread`, { body: { ok, note } })
export const planJob = (c: ApiClient, id: string, body: { copies?: number; firstCopy?: number; room?: string }) =>
  c.request<PrintJobView>(`${BASE}/jobs/${encodeURIComponent(id)}/plan`, { body })

/**
 * What the operator me may do with the job next, in the order the print
 * room works: claim; then (a 公文) proofread and seal check; print; done.
 * A 公文 may be printed and finished only after both checks passed — the
 * server refuses otherwise; the buttons follow the same rule.
 */
export function nextSteps(j: Pick<PrintJob, 'kind' | 'state' | 'operator' | 'proofread' | 'sealCheck'>, me: string): string[] {
  if (j.state === 'queued') return ['claim', 'plan']
  if ((j.state !== 'claimed' && j.state !== 'printing') || j.operator !== me) return []
  const checked = j.kind !== 'document' || (!!j.proofread?.ok && !!j.sealCheck?.ok)
  const out: string[] = []
  if (j.state === 'claimed') {
    out.push('proofread', 'seal-check', 'plan', 'release')
    if (checked) out.push('print')
  }
  if (checked) out.push('done')
  return out
}
