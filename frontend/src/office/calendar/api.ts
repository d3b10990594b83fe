// The working calendar (/api/office/v1/calendar/{year}), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type CalendarYear = components['schemas']['FlowadminCalendarYear']
export type YearData = components['schemas']['WorkcalYear']
export type Holiday = components['schemas']['WorkcalHoliday']
export type Workday = components['schemas']['WorkcalWorkday']
export type YearEdit = operations['putCalendarYear']['requestBody']['content']['application/json']

const at = (year: number) => `${OFFICE_BASE}/calendar/${year}`

export const getYear = (c: ApiClient, year: number) => c.request<CalendarYear>(at(year))
export const putYear = (c: ApiClient, year: number, body: YearEdit) => c.request<CalendarYear>(at(year), { method: 'PUT', body })
