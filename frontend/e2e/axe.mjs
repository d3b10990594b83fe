// The accessibility check of the browser tests (issue 17): axe-core's WCAG
// 2.0/2.1 A and AA rules, run inside the page as a reader's browser shows it
// (GB/T 37668-2019 follows WCAG 2.1). axe-core is injected from
// node_modules, never fetched: the network here is closed.

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
let source

/** The rule sets checked: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * The WCAG A/AA violations on the page as it stands (an array of axe
 * results: id, impact, help, nodes with their selectors). Wait for the
 * page's content before calling it: an empty page has nothing to violate.
 */
export async function axeViolations(page) {
  source ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  // Evaluated through the debugger protocol, not a <script> tag: the page's
  // Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source)
  return page.evaluate(async (tags) => {
    // Transitions and animations finished first: a tag fading in is checked
    // at its final colours, as the reader sees it a moment later.
    for (const a of document.getAnimations()) a.finish()
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }))
  }, WCAG_TAGS)
}

/** Violations as lines a developer can act on: the rule, what it asks, each element and why. */
export function describeViolations(label, violations) {
  const lines = []
  for (const v of violations) {
    lines.push(`${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.length} element(s)`)
    for (const n of v.nodes.slice(0, 8)) lines.push(`    ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`)
  }
  return lines.join('\n')
}
