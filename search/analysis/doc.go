// Package analysis is Zhengwu's Chinese text analysis for Bleve: the
// analyzers that index and query titles, bodies and attachment text, the
// folding that makes full-width, traditional and upper-case text match its
// plain form, the normalisation of document numbers (文号), and the
// abbreviation synonyms applied when a query is built.
//
// Importing the package registers its analyzers with Bleve's registry under
// stable names (see the constants Analyzer, WordsAnalyzer, BigramAnalyzer,
// DocNumberAnalyzer, PrefixAnalyzer), so a mapping can name them. The word
// dictionary is loaded once per process, on first use (LoadDictionary to do
// it up front).
//
// The choice of analyzer, and the measurements behind it, are in
// docs/adr/0006-chinese-analyzer.md.
package analysis
