// Package index is the query side of Zhengwu: a Bleve index per entity type
// that services use to list, filter, sort, facet and count their own
// entities, fed from the document store's change feed (see package feed).
//
// The store answers "get by id"; everything shaped like a list is answered
// here, because the database's query engine cannot be what the product's
// speed depends on (docs/adr/0004-query-side-and-feed-consumers.md).
//
// An index is derived data: it can be wiped and rebuilt from the store at any
// time. It records which feed sequence it has applied (its checkpoint) in the
// same Bleve batch as the documents, so the two always commit together.
package index
