// Routes of the "office-a" group checked by e2e/a11y.test.mjs (see its header for an entry's fields).
export default [
  { label: '个人桌面', path: '/office', user: 'chuzhang' },
]
