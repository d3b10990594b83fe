// The live preview while drafting: the form's fields, once the user has
// stopped typing for a moment (debounced), sent to POST
// /documents/preview; the PDF it answers shown from a blob URL. A newer
// form cancels the request still under way (its answer would be stale),
// and each new URL revokes the one before (a PDF of a long draft is
// hundreds of kilobytes).

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
  let state: PreviewState = { url: '', busy: false, note: '' }
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | undefined
  let lastSent = ''
  const set = (s: Partial<PreviewState>) => {
    state = { ...state, ...s }
    d.show(state)
  }

  async function run(input: DocInput): Promise<void> {
    const key = JSON.stringify(input)
    if (key === lastSent && state.url) return // the same fields: the same PDF
    inflight?.abort()
    const ctl = new AbortController()
    inflight = ctl
    set({ busy: true })
    try {
      const blob = await d.fetch(input, ctl.signal)
      if (ctl.signal.aborted) return
      const old = state.url
      lastSent = key
      set({ url: createURL(blob), busy: false, note: '' })
      if (old) revokeURL(old)
    } catch (e) {
      if (ctl.signal.aborted) return
      set({ busy: false, note: problemMessage(e) })
    } finally {
      if (inflight === ctl) inflight = undefined
    }
  }

  return {
    schedule(input, hint = '') {
      clearTimeout(timer)
      if (!input) {
        inflight?.abort()
        set({ busy: false, note: hint })
        return
      }
      timer = setTimeout(() => void run(input), delay)
    },
    dispose() {
      clearTimeout(timer)
      inflight?.abort()
      if (state.url) revokeURL(state.url)
      state = { url: '', busy: false, note: '' }
    },
  }
}
