// The electronic seal (/api/office/v1/seal), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type SealUnit = components['schemas']['SealUnit']
export type SealKey = components['schemas']['SealKey']
export type SealReport = components['schemas']['SealReport']
type RevokeInput = operations['postSealUnitsUnitKeysKeyIdRevoke']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/seal`
const unitPath = (unit: string) => `${BASE}/units/${encodeURIComponent(unit)}`

export const listUnits = (c: ApiClient) => c.request<SealUnit[]>(`${BASE}/units`)
export const generateKey = (c: ApiClient, unit: string, reason = '') =>
  c.request<SealUnit>(`${unitPath(unit)}/keys`, { body: reason ? { reason } : {} })
export const revokeKey = (c: ApiClient, unit: string, keyId: string, body: RevokeInput) =>
  c.request<SealUnit>(`${unitPath(unit)}/keys/${encodeURIComponent(keyId)}/revoke`, { body })
export const sealImage = (c: ApiClient, unit: string) => c.request<Blob>(`${unitPath(unit)}/image`, { raw: true })
export const uploadImage = (c: ApiClient, unit: string, png: Blob) =>
  c.request<SealUnit>(`${unitPath(unit)}/image`, { method: 'PUT', body: new Blob([png], { type: 'image/png' }) })
export const dropImage = (c: ApiClient, unit: string) => c.request<SealUnit>(`${unitPath(unit)}/image`, { method: 'DELETE' })
export const verifyPDF = (c: ApiClient, pdf: Blob) =>
  c.request<SealReport>(`${BASE}/verify`, { body: new Blob([pdf], { type: 'application/pdf' }) })
