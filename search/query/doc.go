// Package query is Zhengwu's full-text query side: the mapping of the
// portal and office search indexes (Mapping, Doc) and the query builder
// that turns what a reader typed into a Bleve query (Build), with title
// autocomplete and spelling-tolerant suggestions (Suggest).
//
// Queries are built from the analyzers of package analysis; relevance is
// measured by package relevance (make relevance), and the choices are
// recorded in docs/adr/0006-chinese-analyzer.md.
package query
