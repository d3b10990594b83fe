// The personal desktop (GET /api/office/v1/desktop): every office capability's
// to-do, to-read and panels, in the shape the server declares (schema/office.ts
// is generated from the office API's OpenAPI document); and its live events
// (GET /api/office/v1/desktop/events, text/event-stream).

import { createParser } from 'eventsource-parser'
import type { ApiClient } from './client'
import { OFFICE_BASE } from './office'
import { AuthLostError } from './problem'
import type { components } from './schema/office'

export type Desktop = components['schemas']['DesktopView']
export type DesktopEntry = components['schemas']['DesktopEntry']
export type DesktopPanel = components['schemas']['DesktopPanel']
export type DesktopEvent = components['schemas']['DesktopEvent']

/**
 * The desktop; after a live event pass its id as consistentWith, so that the
 * lists have applied what the event told of.
 */
export function getDesktop(client: ApiClient, signal?: AbortSignal, consistentWith?: string): Promise<Desktop> {
  const q = consistentWith ? `?consistentWith=${encodeURIComponent(consistentWith)}` : ''
  return client.request<Desktop>(`${OFFICE_BASE}/desktop${q}`, { signal })
}

/** The live connection's state, for the "实时" badge. */
export type LiveState = 'connecting' | 'live' | 'offline'

export interface FollowOptions {
  /** A `desktop` event: something on the desktop changed (id: the change's sequence). */
  onEvent: (ev: DesktopEvent, id: string) => void
  onState?: (s: LiveState) => void
  /** Ends the following (the page is left). */
  signal: AbortSignal
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  random?: () => number
}

/** Longest wait between reconnection attempts. */
export const MAX_BACKOFF_MS = 30_000

/**
 * The wait before reconnection attempt `attempt` (0 after a connection that
 * worked): the server's retry, doubled for each failed attempt in a row up to
 * MAX_BACKOFF_MS, with ±20 % jitter so that many tabs do not come back at once
 * after a restart.
 */
export function backoff(attempt: number, retryMs: number, random: () => number = Math.random): number {
  const base = Math.min(retryMs * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS)
  return Math.round(base * (0.8 + 0.4 * random()))
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/**
 * Follows the desktop's live events until signal aborts or the session is
 * lost. EventSource cannot send the bearer token, so the stream is read with
 * fetch (the client's token rules: refresh when near expiry, one retry after a
 * 401) and parsed with eventsource-parser; each reconnection sends the last
 * event id as Last-Event-ID, so the server resumes from it (or says resync).
 */
export async function followDesktop(client: ApiClient, o: FollowOptions): Promise<void> {
  const sleep = o.sleep ?? wait
  let lastId = ''
  let retryMs = 2000
  let attempt = 0
  while (!o.signal.aborted) {
    o.onState?.('connecting')
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' }
      if (lastId) headers['Last-Event-ID'] = lastId
      const res = await client.request<Response>(`${OFFICE_BASE}/desktop/events`, {
        stream: true,
        headers,
        signal: o.signal,
      })
      if (!res.body) throw new Error('no stream')
      o.onState?.('live')
      attempt = 0
      const parser = createParser({
        onEvent(m) {
          if (m.id) lastId = m.id
          if (m.event !== 'desktop') return
          try {
            o.onEvent(JSON.parse(m.data) as DesktopEvent, m.id ?? '')
          } catch {
            // A malformed event is skipped; the next one refreshes the desktop.
          }
        },
        onRetry(ms) {
          retryMs = ms
        },
      })
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        parser.feed(value)
      }
    } catch (e) {
      if (o.signal.aborted) break
      if (e instanceof AuthLostError) {
        o.onState?.('offline')
        return
      }
    }
    if (o.signal.aborted) break
    o.onState?.('offline')
    await sleep(backoff(attempt++, retryMs, o.random), o.signal)
  }
  o.onState?.('offline')
}
