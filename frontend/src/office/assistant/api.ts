// The personal assistant (/api/office/v1/assistant) and the contacts
// directory (/api/office/v1/contacts), typed from the office API's description.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import type { components, operations } from '../../api/schema/office'

export type Occurrence = components['schemas']['AssistantOccurrence']
export type Calendar = components['schemas']['AssistantCalendar']
export type EventView = components['schemas']['AssistantEventView']
export type EventInput = operations['postAssistantEvents']['requestBody']['content']['application/json']
export type Todo = components['schemas']['AssistantTodo']
export type TodoView = components['schemas']['AssistantTodoView']
type TodoPage = components['schemas']['AssistantTodoPage']
export type TodoInput = operations['postAssistantTodos']['requestBody']['content']['application/json']
export type TodoChange = operations['putAssistantTodosId']['requestBody']['content']['application/json']
export type Note = components['schemas']['AssistantNote']
export type NoteView = components['schemas']['AssistantNoteView']
type NotePage = components['schemas']['AssistantNotePage']
export type NoteInput = operations['postAssistantNotes']['requestBody']['content']['application/json']
export type Contact = components['schemas']['AssistantContact']
type ContactList = components['schemas']['AssistantContactList']
export type CardInput = operations['putContactsIdCard']['requestBody']['content']['application/json']

const BASE = `${OFFICE_BASE}/assistant`
const id = (s: string) => encodeURIComponent(s)
const after = (seq?: number) => (seq ? `&consistentWith=${seq}` : '')

export const getCalendar = (c: ApiClient, from: string, to: string, seq?: number) =>
  c.request<Calendar>(`${BASE}/calendar?from=${from}&to=${to}` + after(seq))
export const getEvent = (c: ApiClient, eventId: string) => c.request<EventView>(`${BASE}/events/${id(eventId)}`)
export const saveEvent = (c: ApiClient, body: EventInput, eventId?: string) =>
  eventId
    ? c.request<EventView>(`${BASE}/events/${id(eventId)}`, { method: 'PUT', body })
    : c.request<EventView>(`${BASE}/events`, { body })
export const deleteEvent = (c: ApiClient, eventId: string) =>
  c.request<EventView>(`${BASE}/events/${id(eventId)}`, { method: 'DELETE' })

export const listTodos = (c: ApiClient, seq?: number) => c.request<TodoPage>(`${BASE}/todos?size=100` + after(seq))
export const getTodo = (c: ApiClient, todoId: string) => c.request<TodoView>(`${BASE}/todos/${id(todoId)}`)
export const createTodo = (c: ApiClient, body: TodoInput) => c.request<TodoView>(`${BASE}/todos`, { body })
export const updateTodo = (c: ApiClient, todoId: string, body: TodoChange) =>
  c.request<TodoView>(`${BASE}/todos/${id(todoId)}`, { method: 'PUT', body })
export const deleteTodo = (c: ApiClient, todoId: string) =>
  c.request<TodoView>(`${BASE}/todos/${id(todoId)}`, { method: 'DELETE' })

export const listNotes = (c: ApiClient, seq?: number) => c.request<NotePage>(`${BASE}/notes?size=100` + after(seq))
export const getNote = (c: ApiClient, noteId: string) => c.request<NoteView>(`${BASE}/notes/${id(noteId)}`)
export const saveNote = (c: ApiClient, body: NoteInput, noteId?: string) =>
  noteId
    ? c.request<NoteView>(`${BASE}/notes/${id(noteId)}`, { method: 'PUT', body })
    : c.request<NoteView>(`${BASE}/notes`, { body })
export const deleteNote = (c: ApiClient, noteId: string) =>
  c.request<NoteView>(`${BASE}/notes/${id(noteId)}`, { method: 'DELETE' })

export const searchContacts = (c: ApiClient, q: string, department = '') =>
  c.request<ContactList>(`${OFFICE_BASE}/contacts?q=${encodeURIComponent(q)}&department=${encodeURIComponent(department)}`)
export const saveCard = (c: ApiClient, userId: string, body: CardInput) =>
  c.request<Contact>(`${OFFICE_BASE}/contacts/${id(userId)}/card`, { method: 'PUT', body })

export const PRIORITIES: Record<string, [label: string, tag: 'danger' | 'primary' | 'info']> = {
  high: ['紧急', 'danger'],
  normal: ['普通', 'primary'],
  low: ['不急', 'info'],
}
export const REMINDERS = [
  { value: 0, label: '不提醒' },
  { value: 15, label: '提前15分钟' },
  { value: 60, label: '提前1小时' },
  { value: 1440, label: '提前1天' },
]
export const REPEATS = [
  { value: '', label: '不重复' },
  { value: 'daily', label: '每天' },
  { value: 'weekly', label: '每周' },
  { value: 'monthly', label: '每月' },
]
export const COLOURS: Record<string, string> = {
  yellow: '#fdf6b2',
  green: '#d9f2d9',
  blue: '#dbeafe',
  pink: '#fde2e4',
  purple: '#ede4fb',
}
