package query

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
)

// Options tune Build. The zero value is the product's configuration.
type Options struct {
	// Synonyms expands abbreviations in the query; nil means the live list
	// (analysis.LiveSynonyms: the editors' list, else the embedded one or
	// $ZHENGWU_SEARCH_SYNONYMS).
	Synonyms *analysis.Synonyms
	// NoSynonyms turns expansion off.
	NoSynonyms bool
	// TextAnalyzer is the analyzer the full-text fields were indexed with
	// (default analysis.Analyzer); phrases are analyzed with it.
	TextAnalyzer string
	// StrictAnalyzer analyzes the text for the clauses that require every
	// token (operator AND). Default: TextAnalyzer. (With a segmenting
	// analyzer that also indexes bigrams, naming the bigram analyzer here
	// keeps a query cut differently from the document from failing.)
	StrictAnalyzer string
	// MaxSynonymVariants caps the rewritten queries added (default 4).
	MaxSynonymVariants int
	// DocFreq, when set, tells how many of the index's documents hold
	// term in field, and how many it holds. On an index of CommonMinDocs
	// documents or more, Build then treats the terms held by more than
	// CommonShare of them as common: the body's any-token clause leaves
	// them out (always keeping the rarest term), and a phrase of common
	// terms only is matched in the body by its terms, not their positions
	// (see bodyPhrase). Their postings are most of what those clauses read.
	// Search sets it when its Searcher can tell (the product's index does).
	DocFreq func(field, term string) (n, total uint64)

	noFallback bool // set by Strict: leave out the any-token clauses
}

// Boosts of the clauses of Build. Title matches outrank body matches, a
// phrase outranks scattered terms, and a document number outranks all.
const (
	boostDocNumber    = 50.0
	boostExactTitle   = 20.0
	boostTitlePhrase  = 10.0
	boostTitleAll     = 5.0
	boostBodyPhrase   = 3.0
	boostSummaryPhr   = 3.0
	boostAttachPhrase = 1.5
	boostAllTerms     = 1.5
	boostAnyTerm      = 0.3
	boostSynonym      = 0.8 // a rewritten query weighs a little less than what was typed
)

// defaultSynonyms is the list a query expands with when Options names
// none: the live one (analysis.LiveSynonyms), read at every query so that
// an editor's change applies to the next search without a rebuild.
func defaultSynonyms() *analysis.Synonyms { return analysis.LiveSynonyms() }

// Build turns what a reader typed into the relevance-ranked query of the
// search API (sent by Search after Strict, when Strict finds too little): a
// disjunction in which
//   - a document number (analysis.DocNumber, however typed) matches the
//     docNumber field and dominates;
//   - the whole title, typed exactly (analysis.ExactKey);
//   - the text as a phrase in the title, summary, body and attachments;
//   - every token of the text in the title, or in the body (operator AND);
//   - any token in the title or body (operator OR), so that something is
//     found even when no document has all tokens — Bleve's coordination
//     factor ranks documents matching more clauses first;
//   - the same for each synonym rewrite of the text (发改委 → 发展和改革委员会),
//     weighted a little less.
//
// Words separated by spaces are each a phrase (广东 联席会议 举行). A single
// Chinese character matches the terms that start with it. Filters (scope,
// access control, facets' selections) are the caller's: see Filtered.
// An empty text gives a query that matches nothing.
func Build(text string, opts Options) query.Query {
	q, _ := build(text, opts, true)
	return q
}

// Strict is Build without the any-token fallback: the phrase, all-tokens,
// document-number, exact-title, prefix and synonym clauses only. It skips
// the documents holding only some of the tokens, the bulk of the matches
// of a common phrase. (Keeping the any-token clause on the title in it was
// measured: title MRR 1.000 → 0.988, so no.) loose reports whether Build
// differs from it (false: the text has no any-token clause — a document
// number, a single term, lone characters — and Strict is Build).
// Search runs Strict first and Build only when Strict finds too little.
func Strict(text string, opts Options) (q query.Query, loose bool) {
	return build(text, opts, false)
}

// build is Build (withFallback) or Strict; hasFallback reports whether
// any-token clauses were (or would be) added.
func build(text string, opts Options, withFallback bool) (q query.Query, hasFallback bool) {
	o := opts.withDefaults()
	o.noFallback = !withFallback
	text = strings.TrimSpace(text)
	if text == "" {
		return query.NewMatchNoneQuery(), false
	}
	var clauses []query.Query
	if dn, ok := analysis.DocNumber(text); ok {
		clauses = append(clauses, boosted(termQ(FieldDocNumber, dn), boostDocNumber))
		// Documents that cite the number in their text come after it
		// (皖政办 2026 12: the brackets and 号 vary, or join the next word).
		clauses = append(clauses, o.phrase(FieldBody, strings.ReplaceAll(dn, "-", " "), 1))
		return disjunction(clauses), false
	}
	for _, dn := range analysis.FindDocNumbers(text) {
		clauses = append(clauses, boosted(termQ(FieldDocNumber, dn), boostDocNumber))
	}
	if key := analysis.ExactKey(text); key != "" && !strings.ContainsAny(strings.TrimSpace(text), " \t") {
		// The whole title, as typed: the known item above all that merely
		// contain it.
		clauses = append(clauses, boosted(termQ(FieldTitlePrefix, key), boostExactTitle))
	}
	qs, hasFallback := o.textClauses(text, 1)
	clauses = append(clauses, qs...)
	if !o.NoSynonyms {
		for _, r := range o.Synonyms.Rewrites(text, o.MaxSynonymVariants) {
			clauses = append(clauses, o.synonymClauses(r)...)
		}
	}
	return disjunction(clauses), hasFallback
}

// synonymClauses are the clauses of one synonym rewrite of the text
// (发改委 → 发展和改革委员会), weighted boostSynonym: the rewritten word as a
// phrase in each text field, and, where the text has more than that word,
// the synonym as a phrase together with every token of the rest (in the
// title, in the body). The synonym is matched whole or not at all: its
// tokens alone (发展, 委员) are in thousands of documents that have nothing
// to do with it, and the text's own words are already scored by the
// clauses of what was typed, so they are not counted twice.
func (o Options) synonymClauses(r analysis.Rewrite) []query.Query {
	before, after := r.Before, r.After
	if i := strings.LastIndexAny(before, " \t"); i >= 0 {
		before = before[i+1:]
	}
	if i := strings.IndexAny(after, " \t"); i >= 0 {
		after = after[:i]
	}
	word := before + r.Synonym + after
	w := boostSynonym
	qs := []query.Query{
		o.phrase(FieldTitle, word, boostTitlePhrase*w),
		o.phrase(FieldSummary, word, boostSummaryPhr*w),
		o.bodyPhrase(word, boostBodyPhrase*w),
		o.phrase(FieldAttachmentText, word, boostAttachPhrase*w),
	}
	if rest := r.Rest(); rest != "" {
		for _, f := range []struct {
			field string
			boost float64
		}{{FieldTitle, boostTitleAll}, {FieldBody, boostAllTerms}} {
			c := query.NewConjunctionQuery([]query.Query{
				o.phrase(f.field, r.Synonym, 1),
				o.match(f.field, rest, true, 1),
			})
			c.SetBoost(f.boost * w)
			qs = append(qs, c)
			if !o.noFallback {
				qs = append(qs, o.mostTerms(f.field, rest, r.Synonym, boostAnyTerm*w))
			}
		}
	}
	return qs
}

func (o Options) withDefaults() Options {
	if o.Synonyms == nil {
		o.Synonyms = defaultSynonyms()
	}
	if o.TextAnalyzer == "" {
		o.TextAnalyzer = analysis.Analyzer
	}
	if o.StrictAnalyzer == "" {
		o.StrictAnalyzer = o.TextAnalyzer
	}
	if o.MaxSynonymVariants == 0 {
		o.MaxSynonymVariants = 4
	}
	return o
}

// textClauses are the clauses for one variant of the text, scaled by w.
// Each clause costs a pass over its terms' postings, so the builder adds
// only those that can change the order: a text that analyzes to a single
// term gets one term query per field (its phrase, all-terms and any-term
// clauses would be that same term); the all-terms and any-term fallbacks
// are on the title and the body only (summary and attachment text count
// through their phrase clauses).
// hasFallback reports whether the text calls for any-token clauses (added
// unless o.noFallback).
func (o Options) textClauses(text string, w float64) (qs []query.Query, hasFallback bool) {
	parts := strings.Fields(text)
	joined := strings.Join(parts, " ")
	if len(parts) == 1 && !loneHan(parts[0]) {
		if terms := o.terms(joined); len(terms) == 1 {
			for _, f := range []struct {
				field string
				boost float64
			}{
				{FieldTitle, boostTitlePhrase + boostTitleAll},
				{FieldSummary, boostSummaryPhr},
				{FieldBody, boostBodyPhrase + boostAllTerms},
				{FieldAttachmentText, boostAttachPhrase},
			} {
				qs = append(qs, boosted(termQ(f.field, terms[0]), f.boost*w))
			}
			return qs, false
		}
	}
	for _, p := range parts {
		if loneHan(p) {
			// A lone character is not a term of a bigram index: match the
			// terms that start with it.
			c := analysis.Fold(p)
			for _, f := range []string{FieldTitle, FieldBody} {
				pq := query.NewPrefixQuery(c)
				pq.SetField(f)
				pq.SetBoost(map[string]float64{FieldTitle: boostTitlePhrase, FieldBody: boostBodyPhrase}[f] * w)
				qs = append(qs, pq)
			}
			continue
		}
		qs = append(qs,
			o.phrase(FieldTitle, p, boostTitlePhrase*w),
			o.phrase(FieldSummary, p, boostSummaryPhr*w),
			o.bodyPhrase(p, boostBodyPhrase*w),
			o.phrase(FieldAttachmentText, p, boostAttachPhrase*w),
		)
	}
	qs = append(qs, o.match(FieldTitle, joined, true, boostTitleAll*w))
	if len(parts) > 1 || !o.noFallback {
		// All tokens anywhere in the body. For one word the strict query
		// leaves it to the fallback: its body phrase clause already finds
		// the documents that hold the word, and for a common word the
		// two clauses were most of the query's cost, reading the same
		// postings twice.
		qs = append(qs, o.match(FieldBody, joined, true, boostAllTerms*w))
	}
	if o.noFallback {
		return qs, true
	}
	qs = append(qs,
		o.mostTerms(FieldTitle, joined, "", boostAnyTerm*w),
		o.mostTerms(FieldBody, joined, "", boostAnyTerm*w),
	)
	return qs, true
}

// MostOf is how many of a text's n distinct terms a document must hold to
// be found by the fallback (the clauses Build adds to Strict's): most of
// them, a share that grows with the text — all of one or two, two of
// three, then two thirds rounded up (4 of 6, 7 of 10). Any single term
// would do before, and 住房和城乡建设厅 then found every page about 数字政府
// 建设 through 建设 alone.
func MostOf(n int) int {
	if n <= 2 {
		return n
	}
	return (2*n + 2) / 3
}

// mostTerms is the fallback's clause over field: a document holding
// MostOf(n) of the text's n distinct terms. On a large index the common
// terms (o.share) are left out of it, as their postings are most of what
// it would read (the rarest always stays), and then every kept term is
// required when fewer are kept than MostOf(n). A synonym, when given, is
// one more term, matched as a phrase (a rewrite's fallback: the synonym
// whole and most of the rest of the text).
func (o Options) mostTerms(field, text, synonym string, boost float64) query.Query {
	var terms []string
	seen := map[string]bool{}
	for _, t := range o.terms(text) {
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 && synonym == "" {
		return o.match(field, text, false, boost) // the analyzer is unknown: Bleve says so
	}
	keep := terms
	if field == FieldBody && len(terms) > 0 {
		keep = o.uncommon(field, terms)
	}
	var qs []query.Query
	n := len(terms)
	if synonym != "" {
		qs = append(qs, o.phrase(field, synonym, boost))
		n++
	}
	for _, t := range keep {
		qs = append(qs, boosted(termQ(field, t), boost))
	}
	d := query.NewDisjunctionQuery(qs)
	d.SetMin(float64(min(MostOf(n), len(qs))))
	d.SetBoost(boost)
	return d
}

// uncommon is terms without the common ones (held by more than
// CommonShare of the documents) when o.share can tell, the rarest kept.
func (o Options) uncommon(field string, terms []string) []string {
	var keep []string
	rarest, rarestShare := "", 2.0
	for _, t := range terms {
		share, ok := o.share(field, t)
		if !ok {
			return terms
		}
		if share < rarestShare {
			rarest, rarestShare = t, share
		}
		if share <= CommonShare {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		keep = []string{rarest}
	}
	return keep
}

// CommonShare is the share of documents above which a term counts as
// common (Options.DocFreq), on an index of at least CommonMinDocs: below
// that size every query is cheap, and in a small index most terms would
// count as common.
const (
	CommonShare   = 0.1
	CommonMinDocs = 10000
)

// share is the share of the documents holding term in field, and whether
// it can tell (Options.DocFreq is set and the index is large enough).
func (o Options) share(field, term string) (float64, bool) {
	if o.DocFreq == nil {
		return 0, false
	}
	n, total := o.DocFreq(field, term)
	if total < CommonMinDocs {
		return 0, false
	}
	return float64(n) / float64(total), true
}

// bodyPhrase is the phrase clause over the body, except for a phrase of
// common terms only (every term held by more than CommonShare of the
// documents, when o.share can tell): then all of its terms anywhere in
// the body. Such a phrase is in nearly every document that holds its
// terms (主管部门: 38,713 documents of 100k hold the phrase, 38,782 its
// terms), and checking the positions of each made it 5–7 times slower.
func (o Options) bodyPhrase(text string, boost float64) query.Query {
	terms := o.terms(text)
	common := len(terms) > 1
	for _, t := range terms {
		if share, ok := o.share(FieldBody, t); !ok || share <= CommonShare {
			common = false
			break
		}
	}
	if common {
		return o.match(FieldBody, text, true, boost)
	}
	return o.phrase(FieldBody, text, boost)
}

func loneHan(s string) bool {
	return utf8.RuneCountInString(s) == 1 && analysis.IsHan(analysis.FoldRune([]rune(s)[0]))
}

// terms analyzes text with the text analyzer (nil when the analyzer is
// unknown, which Bleve reports when the query runs).
func (o Options) terms(text string) []string {
	a, err := bleve.Config.Cache.AnalyzerNamed(o.TextAnalyzer)
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func (o Options) phrase(field, text string, boost float64) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = o.TextAnalyzer
	q.SetBoost(boost)
	return q
}

func (o Options) match(field, text string, all bool, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	if all {
		q.SetOperator(query.MatchQueryOperatorAnd)
		q.Analyzer = o.StrictAnalyzer
	} else {
		q.Analyzer = o.TextAnalyzer
	}
	return q
}

func termQ(field, term string) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}

type boostable interface {
	query.Query
	SetBoost(float64)
}

func boosted(q boostable, b float64) query.Query {
	q.SetBoost(b)
	return q
}

func disjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// Filtered requires the filters (scope, access control, selected facet
// values) of a built query. The filters select without scoring: as the
// filter clause of a Bleve boolean query would be, they are evaluated
// without scores or term vectors and only advanced to the documents the
// text query matches, so a filter matching nearly every document
// (visibility public) costs little and the order is the text query's.
// The query is filteredQuery rather than that boolean, which answers the
// same at 0.7–0.83 of its p50 (BenchmarkFilteredPaths, issue 15).
func Filtered(q query.Query, filters ...query.Query) query.Query {
	if len(filters) == 0 {
		return q
	}
	var f query.Query
	if len(filters) == 1 {
		f = filters[0]
	} else {
		f = query.NewConjunctionQuery(filters)
	}
	return &filteredQuery{q: q, filter: f}
}
