// Routes of the "portal" group checked by e2e/a11y.test.mjs (see its header for an entry's fields).
export default [
  { label: '门户首页', path: '/' },
  { label: '登录', path: '/login', ready: 'form' },
]
