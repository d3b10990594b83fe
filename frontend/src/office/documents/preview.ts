// The live preview while drafting: the form's fields, once the user has
// stopped typing for a moment (debounced, and at least every few seconds
// of typing without a pause), sent to POST /documents/preview; the PDF it
// answers shown from a blob URL. One request at a time: a form that
// changes while one is under way is asked for when it is answered (a
// layout takes a moment; cancelling it at each change could leave the
// pane empty for as long as the typing lasts). Each new URL revokes the
// one before (a PDF of a long draft is hundreds of kilobytes).

import type { DocInput } from './api'
import { problemMessage } from '../../api/problem'

export interface PreviewState {
  /** A blob: URL of the latest PDF ('' until one came). */
  url: string
  busy: boolean
  /** Why there is no (newer) preview: a hint or the server's problem. */
  note: string
}

export interface PreviewDeps {
  fetch: (input: DocInput, signal: AbortSignal) => Promise<Blob>
  show: (s: PreviewState) => void
  createURL?: (b: Blob) => string
  revokeURL?: (url: string) => void
  /** Milliseconds of quiet before a request. */
  delay?: number
  /** Milliseconds of typing without a pause after which a request goes anyway. */
  maxWait?: number
}

export interface Previewer {
  /** The form changed: preview input after the delay (null: nothing to preview yet, hint says why). */
  schedule(input: DocInput | null, hint?: string): void
  dispose(): void
}

export function previewer(d: PreviewDeps): Previewer {
  const createURL = d.createURL ?? ((b: Blob) => URL.createObjectURL(b))
  const revokeURL = d.revokeURL ?? ((u: string) => URL.revokeObjectURL(u))
  const delay = d.delay ?? 700
  const maxWait = d.maxWait ?? 3000
  /** When the oldest change not yet previewed was made (0: none waits). */
  let waitingSince = 0
  let state: PreviewState = { url: '', busy: false, note: '' }
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | undefined
  let lastSent = ''
  const set = (s: Partial<PreviewState>) => {
    state = { ...state, ...s }
    d.show(state)
  }

  /** The newest form that came while a request was under way: asked next. */
  let pending: DocInput | null = null

  async function run(input: DocInput): Promise<void> {
    if (inflight) {
      pending = input
      return
    }
    const key = JSON.stringify(input)
    if (key === lastSent && state.url) return // the same fields: the same PDF
    const ctl = new AbortController()
    inflight = ctl
    set({ busy: true, note: '' })
    try {
      const blob = await d.fetch(input, ctl.signal)
      if (ctl.signal.aborted) return
      const old = state.url
      lastSent = key
      set({ url: createURL(blob), busy: false })
      if (old) revokeURL(old)
    } catch (e) {
      if (ctl.signal.aborted) return
      set({ busy: false, note: problemMessage(e) })
    } finally {
      if (inflight === ctl) inflight = undefined
      const next = pending
      pending = null
      if (next && !ctl.signal.aborted) void run(next)
    }
  }

  return {
    schedule(input, hint = '') {
      clearTimeout(timer)
      if (!input) {
        inflight?.abort()
        pending = null
        waitingSince = 0
        set({ busy: false, note: hint })
        return
      }
      if (state.note) set({ note: '' })
      const now = Date.now()
      waitingSince ||= now
      const wait = Math.max(0, Math.min(delay, waitingSince + maxWait - now))
      timer = setTimeout(() => {
        waitingSince = 0
        void run(input)
      }, wait)
    },
    dispose() {
      clearTimeout(timer)
      inflight?.abort()
      if (state.url) revokeURL(state.url)
      state = { url: '', busy: false, note: '' }
    },
  }
}
