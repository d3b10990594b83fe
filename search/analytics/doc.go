// Package analytics is what searchers looked for (搜索分析): a query log
// written beside every search without slowing it, the clicks on results,
// weekly reports of the top queries, those that found nothing and those
// whose results nobody opened, a retention sweep, and the synonym list
// editors keep (applied to the next query through analysis.LiveSynonyms,
// without a rebuild).
//
// It lives in the search module, not in searchapi, because it is a
// consumer of searches (searchhttp records through a QueryLog), not part
// of answering one: searchapi stays the query side.
//
// The log is stored in the document store with ids that sort by time, so
// that a week's entries are one range scan and the retention sweep deletes
// from the start of the collection; no index is needed.
package analytics
