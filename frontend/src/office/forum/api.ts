// The forum (/api/office/v1/forum), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type Board = components['schemas']['ForumBoard']
export type BoardList = components['schemas']['ForumBoardList']
export type BoardView = components['schemas']['ForumBoardView']
export type ThreadSummary = components['schemas']['ForumSummary']
type SummaryPage = components['schemas']['ForumSummaryPage']
export type Reading = components['schemas']['ForumReading']
export type ThreadView = components['schemas']['ForumThreadView']
export type Reply = components['schemas']['ForumReply']
export type BoardInput = operations['postForumBoards']['requestBody']['content']['application/json']
export type ThreadInput = operations['postForumBoardsIdThreads']['requestBody']['content']['application/json']
export type ReplyInput = operations['postForumThreadsIdReplies']['requestBody']['content']['application/json']
export type Moderation = operations['postForumThreadsIdModerate']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/forum`
const enc = encodeURIComponent
const after = (seq?: number) => (seq ? `consistentWith=${seq}` : '')

/** Shown in place of what a moderator hid. */
export const HIDDEN_TEXT = '该内容已被版主隐藏'

export const listBoards = (c: ApiClient, seq?: number) => c.request<BoardList>(`${BASE}/boards?${after(seq)}`)
export const createBoard = (c: ApiClient, body: BoardInput) => c.request<BoardView>(`${BASE}/boards`, { body })
export const updateBoard = (c: ApiClient, id: string, body: BoardInput) =>
  c.request<BoardView>(`${BASE}/boards/${enc(id)}`, { method: 'PUT', body })
export const listThreads = (c: ApiClient, board: string, q = '', cursor = '', seq?: number) =>
  c.request<SummaryPage>(
    `${BASE}/boards/${enc(board)}/threads?size=30&q=${enc(q)}&cursor=${enc(cursor)}&${after(seq)}`,
  )
export const searchThreads = (c: ApiClient, q: string) => c.request<SummaryPage>(`${BASE}/search?size=50&q=${enc(q)}`)
export const createThread = (c: ApiClient, board: string, body: ThreadInput) =>
  c.request<ThreadView>(`${BASE}/boards/${enc(board)}/threads`, { body })
export const readThread = (c: ApiClient, id: string) => c.request<Reading>(`${BASE}/threads/${enc(id)}`)
export const reply = (c: ApiClient, id: string, body: ReplyInput) =>
  c.request<ThreadView>(`${BASE}/threads/${enc(id)}/replies`, { body })
export const moderate = (c: ApiClient, id: string, body: Moderation) =>
  c.request<ThreadView>(`${BASE}/threads/${enc(id)}/moderate`, { body })
