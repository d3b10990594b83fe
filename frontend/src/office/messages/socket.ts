// The chat socket (/api/office/v1/chat/ws): authenticates with the access token in its first
// frame (a browser WebSocket cannot send headers, and a token in the URL ends up in logs),
// reconnects with backoff, and on every (re)connection asks for everything after the last
// position it saw in each chat, so nothing sent while it was away is missed. Sends wait for
// the server's ack (given after the store committed); unacknowledged ones are sent again with
// the same client id on reconnection (the server stores a client id once).

import { OFFICE_BASE } from '../../api/office'
import { ApiError, type ProblemFieldError } from '../../api/problem'
import type { ChatEvent, Message } from './api'

export interface Outgoing {
  chatId: string
  clientId: string
  text?: string
  mediaId?: string
  fileName?: string
  classification?: string
}

export type SocketState = 'connecting' | 'open' | 'closed'

export class ChatSocket {
  private ws: WebSocket | null = null
  private stopped = false
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Last position seen per chat (resume point). */
  readonly positions = new Map<string, number>()
  private pending = new Map<string, { out: Outgoing; resolve: (m: Message) => void; reject: (e: unknown) => void }>()

  constructor(
    private token: () => string | undefined,
    private onEvent: (ev: ChatEvent) => void,
    private onState: (s: SocketState) => void,
  ) {}

  start(): void {
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.ws?.close()
    this.ws = null
  }

  /** Records a position seen in a chat (from history or a message). */
  saw(chatId: string, position: number): void {
    if (position > (this.positions.get(chatId) ?? 0)) this.positions.set(chatId, position)
  }

  send(out: Outgoing): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.pending.set(out.clientId, { out, resolve, reject })
      this.frame({ type: 'send', ...out })
    })
  }

  frame(f: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(f))
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
    this.onState('connecting')
    const ws = new WebSocket(`${proto}//${location.host}${OFFICE_BASE}/chat/ws`)
    this.ws = ws
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: this.token() }))
    ws.onmessage = (e) => {
      let ev: ChatEvent
      try {
        ev = JSON.parse(String(e.data)) as ChatEvent
      } catch {
        return
      }
      this.receive(ev)
    }
    ws.onclose = () => {
      if (this.ws !== ws) return
      this.ws = null
      this.onState('closed')
      if (this.stopped) return
      // Backoff 0.5 s, 1 s, 2 s … up to 15 s, with jitter so that a restarted server is not
      // met by every client at once.
      const delay = Math.min(15000, 500 * 2 ** this.attempt++) * (0.75 + Math.random() / 2)
      this.timer = setTimeout(() => this.connect(), delay)
    }
  }

  private receive(ev: ChatEvent): void {
    switch (ev.type) {
      case 'ready':
        this.attempt = 0
        this.onState('open')
        this.frame({ type: 'sync', positions: Object.fromEntries(this.positions) })
        for (const p of this.pending.values()) this.frame({ type: 'send', ...p.out })
        break
      case 'ack':
        if (ev.message) this.settle(ev.clientId, (p) => p.resolve(ev.message as Message))
        break
      case 'message':
        if (ev.message) this.saw(ev.message.chatId, ev.message.position)
        break
      case 'error':
        if (ev.clientId) this.settle(ev.clientId, (p) => p.reject(problemOf(ev.problem)))
        break
    }
    this.onEvent(ev)
  }

  private settle(clientId: string | undefined, fn: (p: { resolve: (m: Message) => void; reject: (e: unknown) => void }) => void) {
    const p = clientId ? this.pending.get(clientId) : undefined
    if (!p || !clientId) return
    this.pending.delete(clientId)
    fn(p)
  }
}

/**
 * A refusal told on the socket ({status, code, message, errors}) as the ApiError every HTTP call
 * raises, so that problemMessage shows the server's Chinese text (a single field's own message
 * rather than "field: message").
 */
export function problemOf(p: unknown): ApiError {
  const o = (p && typeof p === 'object' ? p : {}) as { status?: number; code?: string; message?: string; errors?: ProblemFieldError[] }
  const text = o.errors?.length === 1 ? o.errors[0].message : o.message
  return new ApiError({ status: o.status ?? 500, code: o.code, messageZh: text, errors: o.errors })
}

/** A new client id for a message being composed. */
export const newClientId = (): string => crypto.randomUUID()
