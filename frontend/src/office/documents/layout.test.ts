import { describe, expect, it } from 'vitest'
import outgoing from '../../../../officeapi/workflow/data/outgoing.json'
import incoming from '../../../../officeapi/workflow/data/incoming.json'
import { layers, place, readingOrder } from './layout'

const graph = (edges: [string, string][], ids?: string[]) => ({
  nodes: (ids ?? [...new Set(edges.flat())]).map((id) => ({ id })),
  edges: edges.map(([from, to]) => ({ from, to })),
})

describe('flow chart layout', () => {
  it('puts a node one layer below the longest chain leading to it', () => {
    // a → b → c → d, and a shortcut a → d: d stays below c.
    const l = layers(graph([['a', 'b'], ['b', 'c'], ['c', 'd'], ['a', 'd']]))
    expect(Object.fromEntries(l)).toEqual({ a: 0, b: 1, c: 2, d: 3 })
  })

  it('lays the default 发文 flow out top to bottom, 签发 below 会签 though the choice may skip it', () => {
    const l = layers(outgoing)
    expect(l.get('start')).toBe(0)
    expect(l.get('draft')).toBe(1)
    expect(l.get('review')).toBe(2)
    expect(l.get('needs_cosign')).toBe(3)
    expect(l.get('cosign')).toBe(4)
    // The choice's default edge skips 会签, but 签发 waits below the longer way.
    expect(l.get('sign')).toBe(5)
    // Every node is on one chain: one node a layer.
    expect(l.get('end')).toBe(outgoing.nodes.length - 1)
  })

  it('puts the branches of a choice side by side and joins them below both', () => {
    const l = layers(incoming)
    expect(l.get('handle_urgent')).toBe(l.get('handle'))
    const joins = incoming.edges.filter((e) => e.from === 'handle').map((e) => e.to)
    for (const j of joins) expect(l.get(j)).toBeGreaterThan(l.get('handle')!)
    const at = new Map(place(incoming, 200, 90).map((p) => [p.id, p]))
    expect(at.get('handle_urgent')!.y).toBe(at.get('handle')!.y)
    expect(Math.abs(at.get('handle_urgent')!.x - at.get('handle')!.x)).toBe(200)
    // The two are centred on the chart's axis.
    expect(at.get('handle_urgent')!.x + at.get('handle')!.x).toBe(0)
  })

  it('does not hang on a cycle and still places every node once', () => {
    const g = graph([['s', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'e']])
    const l = layers(g)
    expect([...l.keys()].sort()).toEqual(['a', 'b', 'e', 's'])
    expect(l.get('s')).toBe(0)
    expect(l.get('e')!).toBeGreaterThan(l.get('b')!)
  })

  it('ignores edges to unknown nodes and places lone nodes at the top', () => {
    const l = layers(graph([['a', 'ghost']], ['a', 'lone']))
    expect(Object.fromEntries(l)).toEqual({ a: 0, lone: 0 })
  })

  it('reads the nodes layer by layer, in the given order within a layer', () => {
    const g = graph([['s', 'y'], ['s', 'x'], ['x', 'e'], ['y', 'e']], ['e', 'y', 'x', 's'])
    expect(readingOrder(g).map((n) => n.id)).toEqual(['s', 'y', 'x', 'e'])
  })
})
