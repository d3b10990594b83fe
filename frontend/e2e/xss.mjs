// The XSS corpus that mail, forum posts and chat messages are tested with
// (issue #14): script tags, event attributes, javascript: URLs, SVG and CSS
// expressions. Each payload, if it ever ran, would set window.__zwXss (or
// open a dialog); assertInert checks that nothing ran and that the rendered
// content holds nothing that could run later.

import assert from 'node:assert/strict'

/** Payloads as a user would type or paste them; each names itself in __zwXss. */
export const XSS_CORPUS = [
  `<script>window.__zwXss='script'</script>`,
  `<img src=x onerror="window.__zwXss='img-onerror'">`,
  `<a href="javascript:window.__zwXss='js-url'">点我</a>`,
  `<a href="JaVaScRiPt:window.__zwXss='js-url-case'">链接</a>`,
  `<a href="&#106;avascript:window.__zwXss='js-url-entity'">编码链接</a>`,
  `<svg onload="window.__zwXss='svg-onload'"><circle r="10"/></svg>`,
  `<svg><script>window.__zwXss='svg-script'</script></svg>`,
  `<div style="width: expression(window.__zwXss='css-expression')">样式</div>`,
  `<div style="background:url(javascript:window.__zwXss='css-url')">背景</div>`,
  `<iframe src="javascript:window.__zwXss='iframe'"></iframe>`,
  `<object data="javascript:window.__zwXss='object'"></object>`,
  `<details open ontoggle="window.__zwXss='ontoggle'">详情</details>`,
  `<body onload="window.__zwXss='body-onload'">`,
  `"><img src=x onerror=window.__zwXss='attr-break'>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__zwXss='mxss'">`,
  `<form action="javascript:window.__zwXss='form'"><button>提交</button></form>`,
]

/** One message holding the whole corpus, with a Chinese line so it reads like a real post. */
export const XSS_TEXT = ['测试安全过滤：以下内容不应执行。', ...XSS_CORPUS].join('\n')

/**
 * Call before the content is shown: dialogs opened by a payload are
 * recorded (and dismissed) so that assertInert can fail on them.
 */
export function watchDialogs(page) {
  const dialogs = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    d.dismiss().catch(() => {})
  })
  return dialogs
}

/**
 * Asserts that no payload ran in the page and that the DOM under selector
 * holds no script, no event-handler attribute, no javascript: URL, no
 * frame or object and no CSS expression.
 */
export async function assertInert(page, selector, dialogs = []) {
  // Give onerror/onload handlers a moment to fire if they were ever going to.
  await page.waitForTimeout(300)
  const ran = await page.evaluate(() => window.__zwXss ?? null)
  assert.equal(ran, null, `an XSS payload ran: ${ran}`)
  assert.deepEqual(dialogs, [], 'an XSS payload opened a dialog')
  const found = await page.$$eval(selector, (roots) => {
    const bad = []
    for (const root of roots) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const tag = el.tagName.toLowerCase()
        if (['script', 'iframe', 'object', 'embed', 'frame'].includes(tag)) bad.push(`<${tag}>`)
        for (const a of el.attributes) {
          const name = a.name.toLowerCase()
          const value = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()
          if (name.startsWith('on')) bad.push(`${tag}[${name}]`)
          if (['href', 'src', 'action', 'data', 'formaction', 'xlink:href'].includes(name) && value.startsWith('javascript:'))
            bad.push(`${tag}[${name}=javascript:]`)
          if (name === 'style' && (value.includes('expression(') || value.includes('javascript:'))) bad.push(`${tag}[style]`)
        }
      }
    }
    return bad
  }, null)
  assert.deepEqual(found, [], `content under ${selector} holds active markup`)
}
