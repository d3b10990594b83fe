import { describe, expect, it } from 'vitest'
import type { ApiClient, RequestOptions } from './client'
import { backoff, followDesktop, MAX_BACKOFF_MS, type DesktopEvent, type LiveState } from './desktop'
import { AuthLostError, NetworkError } from './problem'

/** A response whose body streams the chunks, then ends. */
function streamOf(chunks: string[]): Response {
  const enc = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch))
      c.close()
    },
  })
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })
}

/**
 * A client whose n-th connection answers answers[n] (a stream's chunks, or an
 * error to throw); past the end, the test aborts.
 */
function fakeClient(answers: (string[] | Error)[], abort: AbortController) {
  const calls: RequestOptions[] = []
  const client = {
    async request(path: string, o: RequestOptions) {
      expect(path).toBe('/api/office/v1/desktop/events')
      calls.push(o)
      const a = answers[calls.length - 1]
      if (a === undefined) {
        abort.abort()
        throw new DOMException('aborted', 'AbortError')
      }
      if (a instanceof Error) throw a
      return streamOf(a)
    },
  } as unknown as ApiClient
  return { client, calls }
}

function follow(answers: (string[] | Error)[]) {
  const abort = new AbortController()
  const { client, calls } = fakeClient(answers, abort)
  const events: [DesktopEvent, string][] = []
  const states: LiveState[] = []
  const waits: number[] = []
  const done = followDesktop(client, {
    signal: abort.signal,
    onEvent: (ev, id) => events.push([ev, id]),
    onState: (s) => states.push(s),
    sleep: async (ms) => {
      waits.push(ms)
    },
    random: () => 0.5, // no jitter
  })
  return { done, calls, events, states, waits }
}

describe('followDesktop', () => {
  it('parses desktop events split across chunks, skipping comments and other events', async () => {
    const f = follow([
      [
        'retry: 2000\n: 实时桌面\n\n',
        'id: 41\nevent: desktop\ndata: {"seq":41,"sources":[],"resync":true}\n\n',
        'id: 4',
        '5\nevent: desktop\ndata: {"seq":45,"sour',
        'ces":["official_documents"]}\n\n: ping\n\nevent: other\ndata: x\n\n',
      ],
    ])
    await f.done
    expect(f.events).toEqual([
      [{ seq: 41, sources: [], resync: true }, '41'],
      [{ seq: 45, sources: ['official_documents'] }, '45'],
    ])
    expect(f.states.slice(0, 2)).toEqual(['connecting', 'live'])
  })

  it('reconnects with the last event id as Last-Event-ID', async () => {
    const f = follow([['id: 7\nevent: desktop\ndata: {"seq":7,"sources":[]}\n\n'], ['id: 9\nevent: desktop\ndata: {}\n\n'], []])
    await f.done
    expect(f.calls.map((c) => c.headers?.['Last-Event-ID'])).toEqual([undefined, '7', '9', '9'])
    expect(f.calls.every((c) => c.stream && c.headers?.Accept === 'text/event-stream')).toBe(true)
  })

  it('backs off while attempts fail, from the server retry, and starts again after a connection works', async () => {
    const down = new NetworkError(new TypeError('fetch failed'))
    const f = follow([down, down, down, ['retry: 1000\n\n'], down])
    await f.done
    // 2 s (the default), doubled twice; the stream that worked set 1 s and reset.
    expect(f.waits).toEqual([2000, 4000, 8000, 1000, 2000])
  })

  it('stops when the session is lost', async () => {
    const f = follow([new AuthLostError(), ['id: 1\nevent: desktop\ndata: {}\n\n']])
    await f.done
    expect(f.calls).toHaveLength(1)
    expect(f.states.at(-1)).toBe('offline')
    expect(f.events).toEqual([])
  })
})

describe('backoff', () => {
  it('doubles up to the maximum, with jitter around it', () => {
    expect(backoff(0, 2000, () => 0.5)).toBe(2000)
    expect(backoff(3, 2000, () => 0.5)).toBe(16000)
    expect(backoff(50, 2000, () => 0.5)).toBe(MAX_BACKOFF_MS)
    expect(backoff(0, 2000, () => 0)).toBe(1600)
    expect(backoff(0, 2000, () => 1)).toBe(2400)
  })
})
