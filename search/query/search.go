package query

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Searcher runs a Bleve request (*index.Index does).
type Searcher interface {
	Search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error)
}

// docFreqer is a Searcher that can tell how common a term is
// (*index.Index can): Search then fills Options.DocFreq.
type docFreqer interface {
	DocFreq(field, term string) (n, total uint64)
}

// Search is the search path of the API and of the relevance harness: the
// text's Strict query first, with the filters (Filtered) and the rest of
// the request made by req (size, sort, facets, highlight); and only when
// it finds fewer documents than the page size (req's Size, whatever the
// page, so pages of one search agree), the full Build query — the strict
// clauses plus the any-token fallback — in a second request. The strict
// query skips the documents holding only some of the tokens, the bulk of
// the matches of a common phrase; a known item holds them all, so the
// first request finds it, and the rare text that no document holds whole
// still gets ranked partial matches.
//
// A text that is the start of a document number (皖政办, 皖政办〔2026〕)
// lists the documents whose number starts so, newest first (where req
// orders by relevance), when the reader may see any (DocPrefix); otherwise
// it is ranked as words.
//
// An empty text is a match-all query (a filtered list). req must not be
// nil; it is called once or twice.
func Search(ctx context.Context, s Searcher, text string, opts Options, filters []query.Query,
	req func(query.Query) *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return SearchNarrowed(ctx, s, text, opts, filters, nil, req)
}

// SearchNarrowed is Search with the filters split in two: base (always
// applied: access control) and narrow (the reader's own narrowing: a facet
// value, a year). Whether the strict query suffices is decided on the
// text and base alone, so narrowing by a facet value answers with exactly
// the count that facet showed: both come from the same query.
func SearchNarrowed(ctx context.Context, s Searcher, text string, opts Options, base, narrow []query.Query,
	req func(query.Query) *bleve.SearchRequest) (*bleve.SearchResult, error) {
	text = strings.TrimSpace(text)
	if df, ok := s.(docFreqer); ok && opts.DocFreq == nil {
		opts.DocFreq = df.DocFreq
	}
	s = keepsRequest{s}
	if res, found, err := searchDocPrefix(ctx, s, text, opts, base, narrow, req); err != nil || found {
		return res, err
	}
	if len(narrow) > 0 && text != "" {
		strict, loose := Strict(text, opts)
		if !loose {
			return s.Search(ctx, req(Filtered(strict, append(append([]query.Query{}, base...), narrow...)...)))
		}
		size := req(strict).Size
		count := bleve.NewSearchRequestOptions(Filtered(strict, base...), 0, 0, false)
		res, err := s.Search(ctx, count)
		if err != nil {
			return nil, err
		}
		chosen := Build(text, opts)
		if res.Total >= uint64(size) {
			chosen = strict
		}
		return s.Search(ctx, req(Filtered(chosen, append(append([]query.Query{}, base...), narrow...)...)))
	}
	filters := append(append([]query.Query{}, base...), narrow...)
	var strict query.Query = query.NewMatchAllQuery()
	loose := false
	if text != "" {
		strict, loose = Strict(text, opts)
	}
	r := req(Filtered(strict, filters...))
	res, err := s.Search(ctx, r)
	if err != nil || !loose || res.Total >= uint64(r.Size) {
		return res, err
	}
	return s.Search(ctx, req(Filtered(Build(text, opts), filters...)))
}

// keepsRequest is a Searcher whose results name the request they answer
// (SearchResult.Request, which Bleve leaves nil): Rerank reads from it
// whether the page is the first, ordered by score.
type keepsRequest struct{ s Searcher }

func (k keepsRequest) Search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := k.s.Search(ctx, req)
	if res != nil && res.Request == nil {
		res.Request = req
	}
	return res, err
}
