// Where the flow chart puts each node: top to bottom, a node one layer
// below the longest chain of nodes leading to it (longest-path layering),
// the nodes of a layer side by side, centred. The flow definitions are
// small graphs (a dozen nodes), so this is enough without a layout
// library; a cycle (a flow editor's draft may have one) does not hang it:
// a node on a cycle is placed below what leads to it once, then left.

export interface GraphShape {
  nodes: readonly { id: string }[]
  edges: readonly { from: string; to: string }[]
}

/** The layer (0 at the top) of every node. */
export function layers(g: GraphShape): Map<string, number> {
  const ids = g.nodes.map((n) => n.id)
  const known = new Set(ids)
  const incoming = new Map<string, number>(ids.map((id) => [id, 0]))
  const out = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const e of g.edges) {
    if (!known.has(e.from) || !known.has(e.to) || e.from === e.to) continue
    out.get(e.from)!.push(e.to)
    incoming.set(e.to, incoming.get(e.to)! + 1)
  }
  const layer = new Map<string, number>(ids.map((id) => [id, 0]))
  // Kahn's order: a node is placed once everything leading to it is.
  const ready = ids.filter((id) => incoming.get(id) === 0)
  const placed = new Set<string>()
  const visit = (id: string) => {
    placed.add(id)
    for (const to of out.get(id)!) {
      if (placed.has(to)) continue // an edge back up a cycle
      layer.set(to, Math.max(layer.get(to)!, layer.get(id)! + 1))
      incoming.set(to, incoming.get(to)! - 1)
      if (incoming.get(to) === 0) ready.push(to)
    }
  }
  while (placed.size < ids.length) {
    const next = ready.shift()
    if (next !== undefined) {
      if (!placed.has(next)) visit(next)
      continue
    }
    // Only cycles are left: take the first unplaced node in the given order.
    const stuck = ids.find((id) => !placed.has(id))!
    incoming.set(stuck, 0)
    visit(stuck)
  }
  return layer
}

export interface Placed {
  id: string
  x: number
  y: number
  layer: number
}

/**
 * The top-left corner of every node: layer by layer, dy apart; within a
 * layer in the graph's node order, dx apart and centred on x = 0.
 */
export function place(g: GraphShape, dx = 200, dy = 90): Placed[] {
  const layer = layers(g)
  const rows = new Map<number, string[]>()
  for (const n of g.nodes) {
    const l = layer.get(n.id)!
    rows.set(l, [...(rows.get(l) ?? []), n.id])
  }
  return g.nodes.map((n) => {
    const l = layer.get(n.id)!
    const row = rows.get(l)!
    const i = row.indexOf(n.id)
    return { id: n.id, layer: l, x: (i - (row.length - 1) / 2) * dx, y: l * dy }
  })
}

/** The nodes in reading order: by layer, then as the graph lists them. */
export function readingOrder<T extends { id: string }>(g: { nodes: readonly T[]; edges: GraphShape['edges'] }): T[] {
  const layer = layers(g)
  return g.nodes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => layer.get(a.n.id)! - layer.get(b.n.id)! || a.i - b.i)
    .map((x) => x.n)
}
