// The personal desktop (GET /api/office/v1/desktop): every office capability's
// to-do, to-read and panels, in the shape the server declares (schema/office.ts
// is generated from the office API's OpenAPI document).

import type { ApiClient } from './client'
import { OFFICE_BASE } from './office'
import type { components } from './schema/office'

export type Desktop = components['schemas']['DesktopView']
export type DesktopEntry = components['schemas']['DesktopEntry']
export type DesktopPanel = components['schemas']['DesktopPanel']

export function getDesktop(client: ApiClient, signal?: AbortSignal): Promise<Desktop> {
  return client.request<Desktop>(`${OFFICE_BASE}/desktop`, { signal })
}
