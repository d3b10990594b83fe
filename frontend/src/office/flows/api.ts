// Flow definitions (/api/office/v1/flows), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components } from '../../api/schema/office'

export type Definition = components['schemas']['WorkflowDefinition']
export type FlowNode = components['schemas']['WorkflowNode']
export type FlowEdge = components['schemas']['WorkflowEdge']
export type Assignment = components['schemas']['WorkflowAssignment']
export type Limit = components['schemas']['WorkflowLimit']
export type Condition = components['schemas']['WorkflowCondition']
export type Flow = components['schemas']['FlowadminFlow']
type FlowList = components['schemas']['FlowadminFlowList']
type Checked = components['schemas']['FlowadminChecked']

const BASE = `${OFFICE_BASE}/flows`
const at = (key: string) => `${BASE}/${encodeURIComponent(key)}`

export const listFlows = async (c: ApiClient) => (await c.request<FlowList>(BASE)).flows
export const getFlow = (c: ApiClient, key: string) => c.request<Flow>(at(key))
export const getVersion = (c: ApiClient, key: string, version: number) =>
  c.request<Definition>(`${at(key)}/versions/${version}`)
export const checkFlow = (c: ApiClient, key: string, def: Definition) => c.request<Checked>(`${at(key)}/check`, { body: def })
export const saveFlow = (c: ApiClient, key: string, def: Definition) => c.request<Definition>(`${at(key)}/versions`, { body: def })
export const activateFlow = (c: ApiClient, key: string, version: number) =>
  c.request<Flow>(`${at(key)}/activate`, { body: { version } })
