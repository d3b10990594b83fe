// How meeting times read: "12-08 09:00–11:00" in the office's time zone.

import { formatDateTime } from '../../api/problem'

export function when(startAt: string, endAt: string): string {
  const s = formatDateTime(new Date(startAt)).slice(5, 16)
  const e = formatDateTime(new Date(endAt))
  return `${s}–${s.slice(0, 5) === e.slice(5, 10) ? e.slice(11, 16) : e.slice(5, 16)}`
}
