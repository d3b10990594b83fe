// Routes of the "office-b" group checked by e2e/a11y.test.mjs (see its header for an entry's fields).
export default [
]
