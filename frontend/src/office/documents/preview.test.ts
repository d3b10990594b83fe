import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DocInput } from './api'
import { previewer, type PreviewState } from './preview'

const input = (title: string) => ({ direction: 'outgoing', docType: '通知', title, classification: '非密' }) as DocInput

describe('the live preview', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup() {
    const calls: { input: DocInput; signal: AbortSignal; resolve: (b: Blob) => void }[] = []
    const states: PreviewState[] = []
    const revoked: string[] = []
    let n = 0
    const p = previewer({
      fetch: (i, signal) => new Promise<Blob>((resolve) => calls.push({ input: i, signal, resolve })),
      show: (s) => states.push(s),
      createURL: () => `blob:${++n}`,
      revokeURL: (u) => revoked.push(u),
      delay: 500,
    })
    return { p, calls, states, revoked }
  }

  it('asks once the typing stops, not at each keystroke', async () => {
    const { p, calls, states } = setup()
    p.schedule(input('关'))
    vi.advanceTimersByTime(200)
    p.schedule(input('关于'))
    vi.advanceTimersByTime(200)
    p.schedule(input('关于通知'))
    expect(calls).toHaveLength(0)
    vi.advanceTimersByTime(500)
    expect(calls.map((c) => c.input.title)).toEqual(['关于通知'])
    calls[0].resolve(new Blob(['%PDF-']))
    await vi.runAllTimersAsync()
    expect(states.at(-1)).toEqual({ url: 'blob:1', busy: false, note: '' })
  })

  it('asks one at a time, the newest form next, and revokes the old URL', async () => {
    const { p, calls, states, revoked } = setup()
    p.schedule(input('一'))
    vi.advanceTimersByTime(500)
    calls[0].resolve(new Blob(['1']))
    await vi.runAllTimersAsync()
    p.schedule(input('二'))
    vi.advanceTimersByTime(500)
    p.schedule(input('三'))
    vi.advanceTimersByTime(500)
    p.schedule(input('四'))
    vi.advanceTimersByTime(500)
    expect(calls.map((c) => c.input.title)).toEqual(['一', '二']) // 三 and 四 wait for 二
    calls[1].resolve(new Blob(['2']))
    await vi.runAllTimersAsync()
    expect(states.at(-1)?.url).toBe('blob:2')
    expect(calls.map((c) => c.input.title)).toEqual(['一', '二', '四']) // the newest, 三 skipped
    calls[2].resolve(new Blob(['4']))
    await vi.runAllTimersAsync()
    expect(states.at(-1)).toEqual({ url: 'blob:3', busy: false, note: '' })
    expect(revoked).toEqual(['blob:1', 'blob:2'])
  })

  it('previews anyway when the typing goes on without a pause', async () => {
    const { p, calls } = setup()
    for (let i = 0; i < 30; i++) {
      p.schedule(input('字'.repeat(i + 1)))
      await vi.advanceTimersByTimeAsync(200) // never the 500 ms of quiet
      for (const c of calls) c.resolve(new Blob(['%PDF-']))
    }
    // 6 s of typing, at most 3 s without a preview (maxWait's default).
    expect(calls.length).toBeGreaterThanOrEqual(2)
  })

  it('shows the hint when there is nothing to preview', () => {
    const { p, calls, states } = setup()
    p.schedule(null, '填写标题后显示版式预览')
    vi.advanceTimersByTime(1000)
    expect(calls).toHaveLength(0)
    expect(states.at(-1)?.note).toBe('填写标题后显示版式预览')
  })
})
